package io.linguagate.lingua;

/**
 * How chunks are grouped into one model call. A batch is padded to its longest chunk, and every padding token costs
 * as much as a real one: on CPU, where a batch gains little over one call per chunk, padding is pure waste, so only
 * chunks of equal length share a call there. On CUDA a batch of many chunks is what keeps the device busy.
 */
public enum BatchShape {
    /** Up to the maximum batch size per call, padded to the longest (CUDA). */
    PADDED,
    /** Only chunks of the same length share a call: nothing is padded (CPU). */
    EQUAL_LENGTH
}
