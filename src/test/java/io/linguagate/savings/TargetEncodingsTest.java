package io.linguagate.savings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetEncodingsTest {

    private final TargetEncodings encodings = new TargetEncodings(PriceTableTest.config("cl100k_base", null));

    @Test
    void currentOpenAiFamiliesCountWithO200k() {
        for (String model : new String[] {"gpt-4o", "gpt-4o-mini-2024-07-18", "gpt-4.1-nano", "gpt-5-mini", "o3",
            "o4-mini", "openai/gpt-4o"}) {
            assertEquals("o200k_base", encodings.forModel(model).getName(), model);
        }
    }

    @Test
    void olderFamiliesCountWithCl100k() {
        for (String model : new String[] {"gpt-4", "gpt-4-turbo", "gpt-3.5-turbo-0125", "GPT-4-0613"}) {
            assertEquals("cl100k_base", encodings.forModel(model).getName(), model);
        }
    }

    @Test
    void otherModelsUseTheConfiguredFallback() {
        assertEquals("cl100k_base", encodings.forModel("llama-3.1-70b-instruct").getName());
        TargetEncodings o200k = new TargetEncodings(PriceTableTest.config("o200k_base", null));
        assertEquals("o200k_base", o200k.forModel("mistral-large").getName());
        assertThrows(IllegalArgumentException.class,
                () -> new TargetEncodings(PriceTableTest.config("gpt2_base", null)));
    }

    @Test
    void countsSpecialTokenTextAsOrdinaryText() {
        var counter = TargetEncodings.counter(encodings.byName("cl100k_base").orElseThrow());
        assertEquals(0, counter.count(""));
        assertEquals(2, counter.count("Hello world"));
        assertTrue(counter.count("<|endoftext|>") > 1);
    }
}
