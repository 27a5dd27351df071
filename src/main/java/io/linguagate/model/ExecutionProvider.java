package io.linguagate.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.linguagate.config.ModelConfig;

/**
 * Chooses where inference runs and says why. CUDA is tried when the device setting allows it; if it cannot be
 * used, {@code auto} falls back to CPU and {@code cuda} refuses to start.
 *
 * @param cuda   whether the session gets the CUDA provider
 * @param reason one sentence for the start-up log
 */
record ExecutionProvider(boolean cuda, String reason) {

    /** Adds the chosen provider to {@code options}. */
    static ExecutionProvider choose(ModelConfig.Device device, int cudaDeviceId, OrtSession.SessionOptions options) {
        if (device == ModelConfig.Device.CPU) {
            return new ExecutionProvider(false, "CPU (linguagate.model.device=cpu)");
        }
        String unusable;
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            unusable = "this ONNX Runtime build has no CUDA provider (the CPU jar; GPU images use onnxruntime_gpu)";
        } else {
            try {
                options.addCUDA(cudaDeviceId);
                return new ExecutionProvider(true, "CUDA device " + cudaDeviceId + " (linguagate.model.device="
                        + device.name().toLowerCase() + ")");
            } catch (OrtException | RuntimeException e) {
                unusable = "the CUDA provider failed to load (" + e.getMessage()
                        + "); it needs CUDA 12 and cuDNN 9 libraries and an NVIDIA driver";
            }
        }
        if (device == ModelConfig.Device.CUDA) {
            throw new ModelLoadException("linguagate.model.device=cuda but CUDA is not usable: " + unusable
                    + ". Fix the GPU setup or set LINGUAGATE_MODEL_DEVICE=auto to run on CPU.");
        }
        return new ExecutionProvider(false, "CPU (linguagate.model.device=auto; " + unusable + ")");
    }
}
