package io.linguagate.testmodel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Pieces of the Hugging Face {@code tokenizer.json} format, shared by both tokenizer families. */
final class TokenizerJsonParts {

    private TokenizerJsonParts() {
    }

    /** An {@code added_tokens} entry; {@code normalized=false} so it matches the raw text. */
    static JsonObject addedToken(int id, String content, boolean special, boolean lstrip) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", lstrip);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", false);
        t.addProperty("special", special);
        return t;
    }

    /** A TemplateProcessing post-processor: {@code bos $A eos} and {@code bos $A eos [mid] $B eos}. */
    static JsonObject template(String bos, int bosId, String eos, int eosId, boolean doubleEosInPair) {
        JsonArray single = new JsonArray();
        single.add(special(bos, 0));
        single.add(sequence("A", 0));
        single.add(special(eos, 0));
        int typeB = doubleEosInPair ? 0 : 1;
        JsonArray pair = new JsonArray();
        pair.add(special(bos, 0));
        pair.add(sequence("A", 0));
        pair.add(special(eos, 0));
        if (doubleEosInPair) {
            pair.add(special(eos, 0));
        }
        pair.add(sequence("B", typeB));
        pair.add(special(eos, typeB));
        JsonObject tokens = new JsonObject();
        tokens.add(bos, specialEntry(bos, bosId));
        tokens.add(eos, specialEntry(eos, eosId));
        JsonObject p = new JsonObject();
        p.addProperty("type", "TemplateProcessing");
        p.add("single", single);
        p.add("pair", pair);
        p.add("special_tokens", tokens);
        return p;
    }

    /** A component with only a {@code type} (e.g. {@code BertPreTokenizer}). */
    static JsonObject typed(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }

    /** The top-level object with the fields every tokenizer.json carries. */
    static JsonObject root(JsonArray addedTokens) {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        root.add("added_tokens", addedTokens);
        return root;
    }

    private static JsonObject special(String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject o = new JsonObject();
        o.add("SpecialToken", inner);
        return o;
    }

    private static JsonObject sequence(String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject o = new JsonObject();
        o.add("Sequence", inner);
        return o;
    }

    private static JsonObject specialEntry(String token, int id) {
        JsonArray ids = new JsonArray();
        ids.add(id);
        JsonArray toks = new JsonArray();
        toks.add(token);
        JsonObject e = new JsonObject();
        e.addProperty("id", token);
        e.add("ids", ids);
        e.add("tokens", toks);
        return e;
    }
}
