package io.linguagate.model;

/**
 * The ids that frame and pad a chunk: {@code [CLS] chunk [SEP] [PAD]...} for BERT,
 * {@code <s> chunk </s> <pad>...} for XLM-R.
 */
record SequenceIds(int begin, int end, int pad) {
}
