package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Streams chunks through the model in batches of at most {@code maxBatchSize}. Chunks of all
 * jobs share batches; they are ordered longest first (stable) so each batch pads little, and with
 * {@link BatchShape#EQUAL_LENGTH} not at all (a batch ends where the length changes). Model
 * inputs are built per batch and probabilities are merged into words right away, so memory stays
 * bounded by one batch plus the words. An interrupted thread stops before the next batch: work whose result nobody
 * waits for (a client gone, a timeout) does not keep the model busy.
 */
final class BatchRunner {

    private BatchRunner() {
    }

    static void run(List<ChunkTask> tasks, KeepProbabilityModel model, int maxBatchSize, BatchShape shape) {
        List<ChunkTask> ordered = new ArrayList<>(tasks);
        ordered.sort(Comparator.comparingInt(ChunkTask::length).reversed());
        for (int from = 0, to; from < ordered.size(); from = to) {
            if (Thread.interrupted()) {
                throw new CompressionCancelledException();
            }
            to = Math.min(ordered.size(), from + maxBatchSize);
            if (shape == BatchShape.EQUAL_LENGTH) {
                int length = ordered.get(from).length();
                for (int i = from + 1; i < to; i++) {
                    if (ordered.get(i).length() != length) {
                        to = i;
                        break;
                    }
                }
            }
            List<ChunkTask> batch = ordered.subList(from, to);
            List<int[]> inputs = new ArrayList<>(batch.size());
            for (ChunkTask t : batch) {
                inputs.add(t.ids());
            }
            List<float[]> outputs = model.keepProbabilities(inputs);
            if (outputs == null || outputs.size() != batch.size()) {
                throw new IllegalStateException("model returned " + (outputs == null ? "null" : outputs.size())
                        + " results for a batch of " + batch.size() + " chunks");
            }
            for (int i = 0; i < batch.size(); i++) {
                float[] probs = outputs.get(i);
                if (probs == null || probs.length != inputs.get(i).length) {
                    throw new IllegalStateException("model returned " + (probs == null ? "null" : probs.length)
                            + " probabilities for a chunk of " + inputs.get(i).length + " tokens");
                }
                batch.get(i).accept(probs);
            }
        }
    }
}
