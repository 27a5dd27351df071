package io.linguagate.testmodel;

import java.nio.file.Path;

/**
 * Writes a complete tiny model directory ({@code tokenizer.json}, {@code config.json},
 * {@code model.onnx}) whose three files agree on the vocabulary size, as a hub download would.
 */
public final class TinyModelDir {

    private TinyModelDir() {
    }

    /** A cased BERT-shaped model (with {@code token_type_ids}); returns the classifier written. */
    public static TinyClassifierOnnx writeBert(Path dir, boolean placeholders) {
        String tokenizer = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, placeholders);
        int ids = TinyTokenizerJson.idCount(tokenizer);
        TinyTokenizerJson.write(dir, tokenizer);
        TinyModelConfigJson.write(dir, TinyModelConfigJson.bert(ids));
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(ids).tokenTypeIds(true).build();
        model.writeTo(dir);
        return model;
    }

    /** An XLM-R-shaped model (no {@code token_type_ids}); returns the classifier written. */
    public static TinyClassifierOnnx writeXlmRoberta(Path dir, boolean placeholders) {
        String tokenizer = TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), placeholders);
        int ids = TinyTokenizerJson.idCount(tokenizer);
        TinyTokenizerJson.write(dir, tokenizer);
        TinyModelConfigJson.write(dir, TinyModelConfigJson.xlmRoberta(ids));
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(ids).tokenTypeIds(false).build();
        model.writeTo(dir);
        return model;
    }
}
