package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's force tokens and their placeholders (step 1 of the algorithm). A force token the
 * classifier tokenizer does not see as exactly one token is replaced in the text by
 * {@code [NEWi]}, i being its index in the list; a mapped chunk-end token's placeholder is a
 * chunk-end token too.
 */
final class ForceTokens {

    private final Set<String> forceSet;
    /** Each force string behind one family marker ("▁." / "#."), so the merge can test a piece without stripping it. */
    private final Set<String> markedForceSet;
    /** Mapped force strings in first-seen order, each with its placeholder text (Python dict semantics). */
    private final Map<String, String> placeholderByForce;
    private final int[] placeholderIds;          // ascending
    private final String[] forceByPlaceholder;   // parallel to placeholderIds
    private final boolean[] placeholderIsChunkEnd;
    private final Set<String> chunkEndPieces;

    private ForceTokens(Set<String> forceSet, Set<String> markedForceSet, Map<String, String> placeholderByForce,
            int[] placeholderIds, String[] forceByPlaceholder, boolean[] placeholderIsChunkEnd,
            Set<String> chunkEndPieces) {
        this.forceSet = forceSet;
        this.markedForceSet = markedForceSet;
        this.placeholderByForce = placeholderByForce;
        this.placeholderIds = placeholderIds;
        this.forceByPlaceholder = forceByPlaceholder;
        this.placeholderIsChunkEnd = placeholderIsChunkEnd;
        this.chunkEndPieces = chunkEndPieces;
    }

    /** The text form of placeholder {@code index}. */
    static String placeholder(int index) {
        return "[NEW" + index + "]";
    }

    static ForceTokens build(List<String> forceTokens, List<String> chunkEndTokens, ClassifierTokenizer tokenizer) {
        Map<String, Integer> indexByForce = new LinkedHashMap<>();
        for (int i = 0; i < forceTokens.size(); i++) {
            String t = forceTokens.get(i);
            if (!tokenizer.isSingleToken(t)) {
                indexByForce.put(t, i); // a repeated string keeps its first position and takes the last index
            }
        }
        Set<String> chunkEnds = new HashSet<>(chunkEndTokens);
        Set<String> chunkEndPieces = new HashSet<>(chunkEndTokens);
        Map<String, String> placeholderByForce = new LinkedHashMap<>();
        long[] idAndSlot = new long[indexByForce.size()];
        List<String> forces = new ArrayList<>(indexByForce.size());
        int slot = 0;
        for (Map.Entry<String, Integer> e : indexByForce.entrySet()) {
            String ph = placeholder(e.getValue());
            int id = tokenizer.placeholderId(ph).orElseThrow(() -> new IllegalStateException(
                    "classifier vocabulary lacks the placeholder token " + ph));
            placeholderByForce.put(e.getKey(), ph);
            if (chunkEnds.contains(e.getKey())) {
                chunkEndPieces.add(ph);
            }
            idAndSlot[slot] = ((long) id << 32) | slot;
            forces.add(e.getKey());
            slot++;
        }
        Arrays.sort(idAndSlot);
        int m = idAndSlot.length;
        int[] ids = new int[m];
        String[] forceByPlaceholder = new String[m];
        boolean[] isChunkEnd = new boolean[m];
        for (int k = 0; k < m; k++) {
            ids[k] = (int) (idAndSlot[k] >> 32);
            forceByPlaceholder[k] = forces.get((int) idAndSlot[k]);
            isChunkEnd[k] = chunkEnds.contains(forceByPlaceholder[k]);
        }
        Set<String> marked = new HashSet<>();
        char mark = tokenizer.family().mark();
        for (String t : forceTokens) {
            if (t.charAt(0) != mark) { // a marker-led force string can never be a pure token
                marked.add(mark + t);
            }
        }
        return new ForceTokens(Set.copyOf(forceTokens), marked, placeholderByForce, ids, forceByPlaceholder, isChunkEnd,
                chunkEndPieces);
    }

    /** The force strings as given (for piece and word comparisons). */
    Set<String> forceSet() {
        return forceSet;
    }

    /** The force strings, each behind one family marker. */
    Set<String> markedForceSet() {
        return markedForceSet;
    }

    /** Mapped force string → placeholder text, in substitution order. */
    Map<String, String> placeholderByForce() {
        return placeholderByForce;
    }

    /** Slot of {@code tokenId} among the placeholders in use, or -1. */
    int placeholderSlot(int tokenId) {
        if (placeholderIds.length == 0) {
            return -1;
        }
        int k = Arrays.binarySearch(placeholderIds, tokenId);
        return k >= 0 ? k : -1;
    }

    /** The force string a placeholder slot stands for. */
    String forceOfSlot(int slot) {
        return forceByPlaceholder[slot];
    }

    /** Whether token ({@code id}, {@code piece}) may end a chunk. Pieces are compared raw, as the reference does. */
    boolean isChunkEnd(int id, String piece) {
        int slot = placeholderSlot(id);
        if (slot >= 0) {
            return placeholderIsChunkEnd[slot];
        }
        return chunkEndPieces.contains(piece);
    }
}
