package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Hand-checkable stand-ins for the tokenizer, the classifier and the target-LLM counter. */
final class Fakes {

    private Fakes() {
    }

    static final int CLS = 101;
    static final int SEP = 102;
    static final int PLACEHOLDER_BASE = 1000;

    /**
     * A toy tokenizer of either family. Letter/digit runs are words (each Han character its own
     * word, as BERT does); every other non-space code point is one token; whitespace makes no
     * token. {@code [NEWi]} is an added token; {@code [CLS]}/{@code [SEP]} in the text are
     * special tokens. Words listed in {@code splits} become several pieces. SentencePiece mode
     * marks the first piece after whitespace (and at text start) with {@code ▁}, and its offsets
     * then include the one preceding space, as some tokenizers report.
     */
    static class ToyTokenizer implements ClassifierTokenizer {
        private final TokenizerFamily family;
        private final Map<String, List<String>> splits = new HashMap<>();
        private final Map<String, Integer> vocab = new HashMap<>();
        private final Map<Integer, String> pieceById = new HashMap<>();
        int tokenizeCalls;

        ToyTokenizer(TokenizerFamily family) {
            this.family = family;
        }

        static ToyTokenizer wordPiece() {
            return new ToyTokenizer(TokenizerFamily.WORDPIECE);
        }

        static ToyTokenizer sentencePiece() {
            return new ToyTokenizer(TokenizerFamily.SENTENCEPIECE);
        }

        /** Splits {@code word} into the given parts (which must concatenate to it). */
        ToyTokenizer split(String word, String... parts) {
            splits.put(word, List.of(parts));
            return this;
        }

        @Override
        public TokenizerFamily family() {
            return family;
        }

        String piece(int id) {
            return pieceById.get(id);
        }

        private int id(String piece) {
            Integer id = vocab.get(piece);
            if (id == null) {
                id = 2000 + vocab.size();
                vocab.put(piece, id);
                pieceById.put(id, piece);
            }
            return id;
        }

        @Override
        public TokenizedText tokenize(String text) {
            tokenizeCalls++;
            List<Integer> ids = new ArrayList<>();
            List<String> pieces = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            boolean afterSpace = true;
            int i = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                if (Character.isWhitespace(cp)) {
                    afterSpace = true;
                    i += Character.charCount(cp);
                    continue;
                }
                int added = addedTokenEnd(text, i);
                if (added > 0) {
                    String s = text.substring(i, added);
                    int id = s.startsWith("[NEW") ? PLACEHOLDER_BASE + Integer.parseInt(s.substring(4, s.length() - 1))
                            : s.equals("[CLS]") ? CLS : SEP;
                    pieceById.put(id, s);
                    ids.add(id);
                    pieces.add(s);
                    starts.add(i);
                    ends.add(added);
                    i = added;
                    afterSpace = false;
                    continue;
                }
                int end;
                if (Character.isLetterOrDigit(cp) && !isHan(cp)) {
                    end = i;
                    while (end < text.length()) {
                        int c = text.codePointAt(end);
                        if (!Character.isLetterOrDigit(c) || isHan(c)) {
                            break;
                        }
                        end += Character.charCount(c);
                    }
                } else {
                    end = i + Character.charCount(cp);
                }
                String word = text.substring(i, end);
                List<String> parts = splits.getOrDefault(word, List.of(word));
                int at = i;
                for (int p = 0; p < parts.size(); p++) {
                    String part = parts.get(p);
                    String piece;
                    int start = at;
                    if (family == TokenizerFamily.WORDPIECE) {
                        piece = p == 0 ? part : "##" + part;
                    } else {
                        boolean marked = p == 0 && afterSpace;
                        piece = marked ? "\u2581" + part : part;
                        if (marked && at > 0 && text.charAt(at - 1) == ' ') {
                            start = at - 1;
                        }
                    }
                    ids.add(id(piece));
                    pieces.add(piece);
                    starts.add(start);
                    ends.add(at + part.length());
                    at += part.length();
                }
                i = end;
                afterSpace = false;
            }
            return new TokenizedText(ids.stream().mapToInt(Integer::intValue).toArray(), pieces.toArray(new String[0]),
                    starts.stream().mapToInt(Integer::intValue).toArray(),
                    ends.stream().mapToInt(Integer::intValue).toArray());
        }

        private static boolean isHan(int cp) {
            return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
        }

        private static int addedTokenEnd(String text, int i) {
            if (text.charAt(i) != '[') {
                return -1;
            }
            for (String s : new String[] {"[CLS]", "[SEP]"}) {
                if (text.startsWith(s, i)) {
                    return i + s.length();
                }
            }
            if (text.startsWith("[NEW", i)) {
                int j = i + 4;
                while (j < text.length() && Character.isDigit(text.charAt(j))) {
                    j++;
                }
                if (j > i + 4 && j < text.length() && text.charAt(j) == ']') {
                    return j + 1;
                }
            }
            return -1;
        }

        @Override
        public boolean isSingleToken(String text) {
            return tokenize(text).size() == 1;
        }

        @Override
        public boolean isSpecial(int tokenId) {
            return tokenId == CLS || tokenId == SEP;
        }

        @Override
        public OptionalInt placeholderId(String placeholder) {
            if (placeholder.matches("\\[NEW\\d{1,2}]")) {
                return OptionalInt.of(PLACEHOLDER_BASE + Integer.parseInt(placeholder.substring(4, placeholder.length() - 1)));
            }
            return OptionalInt.empty();
        }
    }

    /**
     * A classifier that looks each token's probability up by its piece (default otherwise) and
     * records every call's chunks.
     */
    static final class TableModel implements KeepProbabilityModel {
        private final ToyTokenizer tokenizer;
        private final Map<String, Float> byPiece = new HashMap<>();
        private final float fallback;
        final List<List<int[]>> calls = new ArrayList<>();

        TableModel(ToyTokenizer tokenizer, float fallback) {
            this.tokenizer = tokenizer;
            this.fallback = fallback;
        }

        TableModel p(String piece, double prob) {
            byPiece.put(piece, (float) prob);
            return this;
        }

        @Override
        public List<float[]> keepProbabilities(List<int[]> chunks) {
            List<int[]> copy = new ArrayList<>();
            List<float[]> out = new ArrayList<>();
            for (int[] chunk : chunks) {
                copy.add(chunk.clone());
                float[] probs = new float[chunk.length];
                for (int i = 0; i < chunk.length; i++) {
                    probs[i] = byPiece.getOrDefault(tokenizer.piece(chunk[i]), fallback);
                }
                out.add(probs);
            }
            calls.add(copy);
            return out;
        }

        List<Integer> batchSizes() {
            return calls.stream().map(List::size).toList();
        }

        List<Integer> chunkLengths() {
            List<Integer> lengths = new ArrayList<>();
            for (List<int[]> call : calls) {
                for (int[] c : call) {
                    lengths.add(c.length);
                }
            }
            return lengths;
        }
    }

    /**
     * A target-LLM counter that is easy to count by hand: every letter/digit run is one token
     * (each Han character one), every other non-whitespace char one, each newline one, other
     * whitespace nothing. Overrides give chosen words other weights.
     */
    static final class UnitCounter implements TargetTokenCounter {
        private final Map<String, Integer> overrides = new HashMap<>();
        int calls;

        UnitCounter with(String text, int count) {
            overrides.put(text, count);
            return this;
        }

        @Override
        public int count(String text) {
            calls++;
            Integer o = overrides.get(text);
            if (o != null) {
                return o;
            }
            int n = 0;
            int i = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                int len = Character.charCount(cp);
                if (cp == '\n') {
                    n++;
                } else if (Character.isWhitespace(cp)) {
                    // nothing
                } else if (Character.isLetterOrDigit(cp) && Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN) {
                    n++;
                    while (i + len < text.length()) {
                        int c = text.codePointAt(i + len);
                        if (!Character.isLetterOrDigit(c) || Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                            break;
                        }
                        len += Character.charCount(c);
                    }
                } else {
                    n++;
                }
                i += len;
            }
            return n;
        }
    }
}
