package io.linguagate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU benchmark's refusals, checked where the tests run (the CPU jar, no GPU): it must stop with its own exit
 * code instead of timing the CPU, and its reading of ONNX Runtime's profile must tell CUDA work from CPU work.
 */
class GpuBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCpuJarIsReportedAsNoCudaProviderBeforeAnythingIsBuilt(@TempDir Path work) {
        // The project's tests run on the CPU jar; with onnxruntime_gpu on the classpath this case does not apply.
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return;
        }
        GpuBench.CudaUnusable e = assertThrows(GpuBench.CudaUnusable.class,
                () -> GpuBench.probeCuda(OrtEnvironment.getEnvironment(), 0, work));
        assertEquals(GpuBench.EXIT_NO_CUDA_PROVIDER, e.code);
        assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
    }

    @Test
    void aRealCpuProfileCountsAsFallenBack(@TempDir Path work) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String profile;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.enableProfiling(work.resolve("p").toString());
            try (OrtSession session = env.createSession(GpuBench.matMulModel(64), options);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 64]),
                            new long[] {2, 64});
                    OrtSession.Result ignored = session.run(Map.of("x", x))) {
                profile = session.endProfiling();
            }
        }
        GpuBench.Placement placement = GpuBench.Placement.read(Path.of(profile));
        assertEquals(1, placement.nodes(GpuBench.CPU_EP), placement.describe());
        assertEquals(0, placement.nodes(GpuBench.CUDA_EP));
        assertFalse(placement.onCuda());
        GpuBench.CudaUnusable e = assertThrows(GpuBench.CudaUnusable.class, () -> placement.requireCuda("probe"));
        assertEquals(GpuBench.EXIT_CPU_FALLBACK, e.code);
        assertTrue(e.getMessage().contains("no node ran on CUDAExecutionProvider"), e.getMessage());
    }

    @Test
    void shapeArithmeticOnTheCpuIsExpectedButComputeIsNot() throws Exception {
        String cudaWithShapes = "[" + event("Attention_0", "Attention", GpuBench.CUDA_EP, 786432)
                + "," + event("MatMul_0", "MatMul", GpuBench.CUDA_EP, 786432)
                + "," + event("MatMul_0", "MatMul", GpuBench.CUDA_EP, 786432) // the same node, a second run
                + "," + event("Shape_0", "Shape", GpuBench.CPU_EP, 24)
                + "," + event("Gather_3", "Gather", GpuBench.CPU_EP, 8)
                + ",{\"cat\":\"Session\",\"name\":\"model_run\",\"args\":{}}]";
        GpuBench.Placement ok = GpuBench.Placement.parse(JSON.readTree(cudaWithShapes));
        assertTrue(ok.onCuda(), ok.describe());
        assertEquals(2, ok.nodes(GpuBench.CUDA_EP));
        assertEquals(2, ok.nodes(GpuBench.CPU_EP));
        ok.requireCuda("model");

        String matMulOnCpu = "[" + event("Attention_0", "Attention", GpuBench.CUDA_EP, 786432)
                + "," + event("MatMul_7", "MatMul", GpuBench.CPU_EP, 1024) + "]";
        assertFalse(GpuBench.Placement.parse(JSON.readTree(matMulOnCpu)).onCuda());

        String bigTensorOnCpu = "[" + event("Attention_0", "Attention", GpuBench.CUDA_EP, 786432)
                + "," + event("Where_1", "Where", GpuBench.CPU_EP, 786432) + "]";
        GpuBench.Placement big = GpuBench.Placement.parse(JSON.readTree(bigTensorOnCpu));
        assertFalse(big.onCuda());
        GpuBench.CudaUnusable e = assertThrows(GpuBench.CudaUnusable.class, () -> big.requireCuda("model"));
        assertEquals(GpuBench.EXIT_CPU_FALLBACK, e.code);
        assertTrue(e.getMessage().contains("Where Where_1"), e.getMessage());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, GpuBench.percentile(sorted, 0.5));
        assertEquals(9, GpuBench.percentile(sorted, 0.9));
        assertEquals(7, GpuBench.percentile(new long[] {7}, 0.9));
        assertEquals(GpuBench.SEQUENCE - 2, GpuBench.chunks(3).get(2).length);
    }

    private static String event(String node, String op, String provider, long outputBytes) {
        return "{\"cat\":\"Node\",\"name\":\"" + node + "_kernel_time\",\"dur\":10,\"args\":{\"op_name\":\"" + op
                + "\",\"provider\":\"" + provider + "\",\"output_size\":\"" + outputBytes + "\"}}";
    }
}
