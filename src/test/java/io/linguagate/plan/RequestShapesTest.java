package io.linguagate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which texts each API shape lists, with their pointer, role and kind (what the policy then decides on). */
class RequestShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> list(RequestShape shape, String body) throws Exception {
        return shape.texts(JSON.readTree(body)).stream()
                .map(t -> t.pointer() + " " + t.role() + " " + t.kind() + " " + t.text()).toList();
    }

    @Test
    void chatListsMessageTextsAndTheLastUserAsTheQuestion() throws Exception {
        assertEquals(List.of("/messages/0/content system CONTEXT s", "/messages/1/content/1/text user CONTEXT u1",
                "/messages/2/content assistant CONTEXT a", "/messages/3/content tool CONTEXT t",
                "/messages/4/content user QUESTION q"), list(RequestShapes.CHAT, """
                {"messages":[{"role":"system","content":"s"},
                  {"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"u1"}]},
                  {"role":"assistant","content":"a","tool_calls":[{"id":"c","function":{"arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c","content":"t"},{"role":"user","content":"q"}]}"""));
    }

    @Test
    void responsesListInstructionsMessagesAndToolOutputs() throws Exception {
        assertEquals(List.of("/instructions system CONTEXT i", "/input/0/content developer CONTEXT d",
                "/input/1/content/0/text user CONTEXT u1", "/input/2/content/0/text assistant CONTEXT a",
                "/input/4/output tool CONTEXT out", "/input/5/output/0/text tool CONTEXT parts",
                "/input/6/content user QUESTION q"), list(RequestShapes.RESPONSES, """
                {"instructions":"i","tools":[{"type":"function","description":"never"}],"input":[
                  {"role":"developer","content":"d"},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"u1"},
                                                             {"type":"input_image","image_url":"x"}]},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"a"}]},
                  {"type":"reasoning","encrypted_content":"never","summary":[{"type":"summary_text","text":"no"}]},
                  {"type":"function_call_output","call_id":"c","output":"out"},
                  {"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"parts"}]},
                  {"role":"user","content":"q"}]}"""));
        assertEquals(List.of("/input user QUESTION q"), list(RequestShapes.RESPONSES, "{\"input\":\"q\"}"));
    }

    @Test
    void completionsListStringPromptsOnly() throws Exception {
        assertEquals(List.of("/prompt user PROMPT p"),
                list(RequestShapes.COMPLETIONS, "{\"prompt\":\"p\",\"suffix\":\"s\"}"));
        assertEquals(List.of("/prompt/0 user PROMPT a", "/prompt/2 user PROMPT b"),
                list(RequestShapes.COMPLETIONS, "{\"prompt\":[\"a\",[1,2],\"b\"]}"));
        assertEquals(List.of(), list(RequestShapes.COMPLETIONS, "{\"prompt\":[1,2,3]}"));
    }

    @Test
    void anthropicListsSystemEarlierTurnsAndToolResultsAndKeepsCacheControlledBlocks() throws Exception {
        String body = """
                {"system":[{"type":"text","text":"s1"},{"type":"text","text":"s2","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                  {"role":"user","content":"u1"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"never","signature":"sig"},
                     {"type":"text","text":"a"},{"type":"tool_use","id":"t1","name":"f","input":{"q":"never"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"r1"},
                     {"type":"tool_result","tool_use_id":"t2","content":[{"type":"text","text":"r2"},
                                                                         {"type":"image","source":{}}]},
                     {"type":"text","text":"q"}]}]}""";
        assertEquals(List.of("/system/0/text system CONTEXT s1", "/system/1/text system KEEP s2",
                "/messages/0/content user CONTEXT u1", "/messages/1/content/1/text assistant CONTEXT a",
                "/messages/2/content/0/content tool CONTEXT r1", "/messages/2/content/1/content/0/text tool CONTEXT r2",
                "/messages/2/content/2/text user QUESTION q"), list(RequestShapes.anthropicMessages(false), body));
        assertEquals("/system/1/text system CONTEXT s2", list(RequestShapes.anthropicMessages(true), body).get(1));
        assertEquals(List.of("/system system CONTEXT s"), list(RequestShapes.anthropicMessages(false),
                "{\"system\":\"s\",\"messages\":[]}"));
    }

    @Test
    void oddShapesListNothingInsteadOfFailing() throws Exception {
        for (RequestShape shape : List.of(RequestShapes.CHAT, RequestShapes.RESPONSES, RequestShapes.COMPLETIONS,
                RequestShapes.anthropicMessages(false))) {
            assertEquals(List.of(), list(shape, "[]"));
            assertEquals(List.of(), list(shape, "{\"messages\":{},\"input\":7,\"prompt\":null,\"system\":[1]}"));
            assertEquals(List.of(), list(shape, "{\"messages\":{\"a\":{\"role\":\"user\"}},\"input\":{\"a\":1},"
                    + "\"system\":{\"b\":2}}"));
            assertEquals(List.of(), list(shape, "{\"messages\":[{\"role\":\"user\",\"content\":{\"x\":1}}]}"));
        }
    }
}
