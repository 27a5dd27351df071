package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.plan.RequestShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up file: which lines are bodies of which API, and errors that name the line. */
class WarmPromptsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private WarmPrompts read(String content) throws Exception {
        Path file = dir.resolve("warm.jsonl");
        Files.writeString(file, content);
        return WarmPrompts.read(file, JSON);
    }

    private String error(String content) {
        return assertThrows(IllegalArgumentException.class, () -> read(content)).getMessage();
    }

    @Test
    void chatAndResponsesBodiesBlankLinesSkipped() throws Exception {
        WarmPrompts prompts = read("""
                {"model":"gpt-4o","messages":[{"role":"system","content":"You are terse."}]}

                {"model":"gpt-4o-mini","instructions":"Be brief.","input":"hi"}
                """);
        assertEquals(2, prompts.entries().size());
        assertEquals(RequestShapes.CHAT, prompts.entries().get(0).shape());
        assertEquals(1, prompts.entries().get(0).line());
        assertEquals(RequestShapes.RESPONSES, prompts.entries().get(1).shape());
        assertEquals(3, prompts.entries().get(1).line());
    }

    @Test
    void badLinesAreNamed() {
        String notJson = error("{\"model\":\"gpt-4o\",\"messages\":[]}\n{oops\n");
        assertTrue(notJson.contains("line 2 is not JSON"), notJson);
        String noModel = error("{\"messages\":[]}");
        assertTrue(noModel.contains("line 1 must be a request body object with a \"model\""), noModel);
        String array = error("[1,2]");
        assertTrue(array.contains("line 1 must be a request body object"), array);
        String neither = error("{\"model\":\"gpt-4o\",\"prompt\":\"hi\"}");
        assertTrue(neither.contains("line 1 has neither \"messages\""), neither);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> WarmPrompts.read(dir.resolve("absent.jsonl"), JSON)).getMessage();
        assertTrue(missing.contains("absent.jsonl cannot be read"), missing);
    }
}
