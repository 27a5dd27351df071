package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.linguagate.plan.RequestText.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Every API request shape the gateway compresses, in one place. Each lists the texts of a request; the policy
 * ({@link MessagePolicy}) then decides by role and {@link Kind}: CONTEXT texts of the compressed roles are compressed
 * (above {@code min-tokens}), the QUESTION is kept unless very long, KEEP never. What a shape does not list is
 * never touched (the body rewrite replaces listed strings only, byte for byte elsewhere).
 *
 * <table>
 *   <caption>What is listed, per API</caption>
 *   <tr><th>API</th><th>CONTEXT (by role)</th><th>QUESTION</th><th>never listed (kept as sent)</th></tr>
 *   <tr><td>Chat Completions {@code messages}</td><td>{@code content} strings and {@code text} parts of every
 *       message but the last user one (system, developer, tool, function, user, assistant)</td><td>the last user
 *       message's texts</td><td>tool definitions, {@code tool_calls}, images, audio, files, schemas</td></tr>
 *   <tr><td>Responses</td><td>{@code instructions} (as system); {@code input} message items ({@code content}
 *       string, {@code input_text}/{@code output_text} parts) but the last user one; {@code function_call_output}
 *       and {@code custom_tool_call_output} {@code output} (string, or its {@code input_text} parts) as tool</td>
 *       <td>{@code input} when a string; else the last user message item</td><td>reasoning items (encrypted
 *       content), function calls, images, files, {@code tools}, {@code text.format}, {@code previous_response_id}</td>
 *       </tr>
 *   <tr><td>Legacy Completions</td><td>—</td><td>{@code prompt} (string, or each string of an array) as PROMPT:
 *       above {@code min-tokens}, all but its final sentence</td><td>token-id prompts, {@code suffix}</td></tr>
 *   <tr><td>Anthropic Messages</td><td>{@code system} (string or text blocks); text blocks of every user turn but
 *       the last; {@code tool_result} content (string or text blocks, any turn) as tool</td><td>the last user
 *       turn's text</td><td>assistant turns ({@code thinking}/{@code redacted_thinking} byte for byte),
 *       {@code tool_use}, images, documents, {@code tools}; blocks with {@code cache_control} are KEEP unless
 *       {@code cache-control-blocks=compress}</td></tr>
 * </table>
 */
public final class RequestShapes {

    /** {@code POST /v1/chat/completions}. */
    public static final RequestShape CHAT = new Shape("chat_completions") {
        @Override
        void list(JsonNode root, Out out) {
            JsonNode messages = array(root.path("messages"));
            int lastUser = lastWithRole(messages, "user");
            for (int i = 0; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                String role = message.path("role").asText("");
                Kind kind = i == lastUser ? Kind.QUESTION : Kind.CONTEXT;
                String at = "/messages/" + i + "/content";
                JsonNode content = message.path("content");
                if (content.isTextual()) {
                    out.add(at, role, content.textValue(), kind);
                } else {
                    parts(content, at, role, kind, out, "text");
                }
            }
        }
    };

    /** {@code POST /v1/responses}. */
    public static final RequestShape RESPONSES = new Shape("responses") {
        @Override
        void list(JsonNode root, Out out) {
            JsonNode instructions = root.path("instructions");
            if (instructions.isTextual()) {
                out.add("/instructions", "system", instructions.textValue(), Kind.CONTEXT);
            }
            JsonNode input = root.path("input");
            if (input.isTextual()) {
                out.add("/input", "user", input.textValue(), Kind.QUESTION);
                return;
            }
            input = array(input);
            int lastUser = -1;
            for (int i = 0; i < input.size(); i++) {
                if (isMessage(input.get(i)) && "user".equals(input.get(i).path("role").asText(null))) {
                    lastUser = i;
                }
            }
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                String type = item.path("type").asText("message");
                if (isMessage(item)) {
                    String role = item.path("role").asText("");
                    Kind kind = i == lastUser ? Kind.QUESTION : Kind.CONTEXT;
                    JsonNode content = item.path("content");
                    if (content.isTextual()) {
                        out.add("/input/" + i + "/content", role, content.textValue(), kind);
                    } else {
                        parts(content, "/input/" + i + "/content", role, kind, out, "input_text", "output_text");
                    }
                } else if (type.equals("function_call_output") || type.equals("custom_tool_call_output")) {
                    JsonNode output = item.path("output");
                    if (output.isTextual()) {
                        out.add("/input/" + i + "/output", "tool", output.textValue(), Kind.CONTEXT);
                    } else {
                        parts(output, "/input/" + i + "/output", "tool", Kind.CONTEXT, out, "input_text");
                    }
                }
            }
        }

        /** A message item: {@code type: message}, or no type and a role (the easy input form). */
        private boolean isMessage(JsonNode item) {
            return item.path("type").asText("message").equals("message") && item.path("role").isTextual();
        }
    };

    /** {@code POST /v1/completions}. */
    public static final RequestShape COMPLETIONS = new Shape("completions") {
        @Override
        void list(JsonNode root, Out out) {
            JsonNode prompt = root.path("prompt");
            if (prompt.isTextual()) {
                out.add("/prompt", "user", prompt.textValue(), Kind.PROMPT);
            } else if (prompt.isArray()) { // (an object's size() counts fields: arrays only)
                for (int i = 0; i < prompt.size(); i++) {
                    if (prompt.get(i).isTextual()) { // token-id prompts are left alone
                        out.add("/prompt/" + i, "user", prompt.get(i).textValue(), Kind.PROMPT);
                    }
                }
            }
        }
    };

    /** {@code POST /v1/messages}; blocks with {@code cache_control} are kept unless {@code compressCached}. */
    public static RequestShape anthropicMessages(boolean compressCached) {
        return compressCached ? ANTHROPIC_COMPRESS_CACHED : ANTHROPIC;
    }

    private static final RequestShape ANTHROPIC = new AnthropicMessages(false);
    private static final RequestShape ANTHROPIC_COMPRESS_CACHED = new AnthropicMessages(true);

    private RequestShapes() {
    }

    private static final class AnthropicMessages extends Shape {
        private final boolean compressCached;

        AnthropicMessages(boolean compressCached) {
            super("messages");
            this.compressCached = compressCached;
        }

        @Override
        void list(JsonNode root, Out out) {
            JsonNode system = root.path("system");
            if (system.isTextual()) {
                out.add("/system", "system", system.textValue(), Kind.CONTEXT);
            } else {
                blocks(system, "/system", "system", Kind.CONTEXT, out);
            }
            JsonNode messages = array(root.path("messages"));
            int lastUser = lastWithRole(messages, "user");
            for (int i = 0; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                String role = message.path("role").asText("");
                Kind kind = i == lastUser ? Kind.QUESTION : Kind.CONTEXT;
                JsonNode content = message.path("content");
                String at = "/messages/" + i + "/content";
                if (content.isTextual()) {
                    out.add(at, role, content.textValue(), kind);
                    continue;
                }
                content = array(content);
                for (int j = 0; j < content.size(); j++) {
                    JsonNode block = content.get(j);
                    String type = block.path("type").asText("");
                    if (type.equals("text") && block.path("text").isTextual()) {
                        out.add(at + "/" + j + "/text", role, block.get("text").textValue(), kept(block, kind));
                    } else if (type.equals("tool_result")) {
                        // Tool output, whichever turn carries it: context, not the question.
                        Kind toolKind = kept(block, Kind.CONTEXT);
                        JsonNode result = block.path("content");
                        if (result.isTextual()) {
                            out.add(at + "/" + j + "/content", "tool", result.textValue(), toolKind);
                        } else {
                            blocks(result, at + "/" + j + "/content", "tool", toolKind, out);
                        }
                    }
                }
            }
        }

        private void blocks(JsonNode blocks, String at, String role, Kind kind, Out out) {
            blocks = array(blocks);
            for (int j = 0; j < blocks.size(); j++) {
                JsonNode block = blocks.get(j);
                if ("text".equals(block.path("type").asText(null)) && block.path("text").isTextual()) {
                    out.add(at + "/" + j + "/text", role, block.get("text").textValue(), kept(block, kind));
                }
            }
        }

        /** A block carrying {@code cache_control} was placed for prompt caching: changing it breaks the cache. */
        private Kind kept(JsonNode block, Kind kind) {
            return block.has("cache_control") && !compressCached ? Kind.KEEP : kind;
        }
    }

    /** A shape with its surface name; subclasses list their texts into an {@link Out}. */
    private abstract static class Shape implements RequestShape {
        private final String surface;

        Shape(String surface) {
            this.surface = surface;
        }

        @Override
        public String surface() {
            return surface;
        }

        @Override
        public List<RequestText> texts(JsonNode root) {
            Out out = new Out();
            if (root != null && root.isObject()) {
                list(root, out);
            }
            return out.texts;
        }

        abstract void list(JsonNode root, Out out);
    }

    /** Collects listed texts. */
    private static final class Out {
        final List<RequestText> texts = new ArrayList<>();

        void add(String pointer, String role, String text, Kind kind) {
            texts.add(new RequestText(pointer, role, text, kind));
        }
    }

    /** The text parts of a content array: objects of one of {@code types} with a string {@code text}. */
    private static void parts(JsonNode content, String at, String role, Kind kind, Out out, String... types) {
        content = array(content);
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asText(null);
            if (type != null && List.of(types).contains(type) && part.path("text").isTextual()) {
                out.add(at + "/" + j + "/text", role, part.get("text").textValue(), kind);
            }
        }
    }

    /** {@code node} if it is an array, else an empty node: {@code size()}/{@code get(i)} mean items only then. */
    private static JsonNode array(JsonNode node) {
        return node.isArray() ? node : MissingNode.getInstance();
    }

    private static int lastWithRole(JsonNode items, String role) {
        int last = -1;
        for (int i = 0; i < items.size(); i++) {
            if (role.equals(items.get(i).path("role").asText(null))) {
                last = i;
            }
        }
        return last;
    }
}
