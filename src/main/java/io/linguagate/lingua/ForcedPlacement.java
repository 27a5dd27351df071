package io.linguagate.lingua;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a guided job's forced spans ended up in its compressed text: forced text is copied verbatim, so a caller
 * can find a forced piece in the output and splice its own rewrite of it in (a JSON block whose strings it
 * compressed separately).
 */
public final class ForcedPlacement {

    /** No forced spans. */
    static final ForcedPlacement NONE = new ForcedPlacement(new int[0], new int[0], new int[0], false);
    /** The text came back unchanged: every offset is its own. */
    static final ForcedPlacement IDENTITY = new ForcedPlacement(new int[0], new int[0], new int[0], true);

    private final int[] sourceStarts;
    private final int[] sourceEnds;
    private final int[] outputStarts;
    private final boolean identity;

    ForcedPlacement(int[] sourceStarts, int[] sourceEnds, int[] outputStarts, boolean identity) {
        this.sourceStarts = sourceStarts;
        this.sourceEnds = sourceEnds;
        this.outputStarts = outputStarts;
        this.identity = identity;
    }

    /**
     * The output offset of the source text {@code [start, end)}, which must lie inside one forced span, or -1 when
     * it does not.
     */
    public int outputOffsetOf(int start, int end) {
        if (identity) {
            return start;
        }
        for (int i = 0; i < sourceStarts.length; i++) {
            if (sourceStarts[i] <= start && end <= sourceEnds[i]) {
                return outputStarts[i] + (start - sourceStarts[i]);
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForcedPlacement p && identity == p.identity && Arrays.equals(sourceStarts, p.sourceStarts)
                && Arrays.equals(sourceEnds, p.sourceEnds) && Arrays.equals(outputStarts, p.outputStarts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, Arrays.hashCode(sourceStarts), Arrays.hashCode(outputStarts));
    }

    @Override
    public String toString() {
        return identity ? "ForcedPlacement[identity]" : "ForcedPlacement" + Arrays.toString(outputStarts);
    }
}
