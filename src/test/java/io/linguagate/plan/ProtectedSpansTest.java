package io.linguagate.plan;

import static io.linguagate.plan.SegmenterChecks.show;
import static io.linguagate.plan.SegmenterChecks.showNumbers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code, URLs, e-mail addresses, paths, hashes, numbers and what goes with them; JSON has its own
 * test. Rendering: see {@link SegmenterChecks}. The tables pair a text with its rendering.
 */
class ProtectedSpansTest {

    // ---- fenced code ---------------------------------------------------------------------------

    @Test
    void fenceBlockKeepsItsOwnLines() {
        assertEquals("Intro«\n```python\nprint(1)\n```\n»After", show("Intro\n```python\nprint(1)\n```\nAfter"));
        assertEquals("«```\nx\n```»", show("```\nx\n```"));
        assertEquals("a«\n~~~\ncode `x` https://y.z\n~~~\n»b", show("a\n~~~\ncode `x` https://y.z\n~~~\nb"));
    }

    @Test
    void fenceClosesOnlyWithTheSameCharAndAtLeastItsLength() {
        assertEquals("«````\na\n```\nb\n`````\n»after", show("````\na\n```\nb\n`````\nafter"));
        assertEquals("«```\na\n~~~\nb\n```\n»c", show("```\na\n~~~\nb\n```\nc"));
        assertEquals("«```\na\n```  \t\n»c", show("```\na\n```  \t\nc"));
        assertEquals("«```\na\n``` x\nb\n```»", show("```\na\n``` x\nb\n```"));
    }

    @Test
    void unclosedFenceProtectsToTheEnd() {
        assertEquals("a«\n```\ncode\nmore text»", show("a\n```\ncode\nmore text"));
    }

    @Test
    void fenceMayBeIndentedUpToThreeSpaces() {
        assertEquals("a«\n   ```\nx\n  ```\n»b", show("a\n   ```\nx\n  ```\nb"));
        assertEquals("a\n    ```\nx", show("a\n    ```\nx"));
    }

    @Test
    void fenceMarkersMidLineOrShortAreNotFences() {
        assertEquals("«```a```» text", show("```a```" + " text"));
        assertEquals("~~strike~~ and ~~~ mid-line", show("~~strike~~ and ~~~ mid-line"));
    }

    @Test
    void backToBackFencesMerge() {
        assertEquals("«```\na\n```\n```\nb\n```»", show("```\na\n```\n```\nb\n```"));
    }

    @Test
    void fenceWithWindowsAndOldMacNewlines() {
        assertEquals("a«\r\n```\r\ncode\r\n```\r\n»b", show("a\r\n```\r\ncode\r\n```\r\nb"));
        assertEquals("a«\r```\rcode\r```\r»b", show("a\r```\rcode\r```\rb"));
    }

    // ---- inline code ---------------------------------------------------------------------------

    @Test
    void inlineCode() {
        assertEquals("Run «`ls -la`» now and «`pwd`».", show("Run `ls -la` now and `pwd`."));
        assertEquals("Use «``a ` b``» here", show("Use ``a ` b`` here"));
        assertEquals("«`http://x.y {\"a\": 1}`»", show("`http://x.y {\"a\": 1}`"));
    }

    @Test
    void inlineCodeStaysOnOneLine() {
        assertEquals("a `b\nc` d", show("a `b\nc` d"));
        assertEquals("a `b\r\nc` d", show("a `b\r\nc` d"));
        assertEquals("lone ` tick and `` pair", show("lone ` tick and `` pair"));
        assertEquals("`` x «`y`»", show("`` x `y`"));
    }

    // ---- URLs ----------------------------------------------------------------------------------

    @Test
    void urlAtTheEndOfASentence() {
        assertEquals("See «https://example.com/path?q=1&r=2#frag».", show("See https://example.com/path?q=1&r=2#frag."));
        assertEquals("Visit «www.example.org», then «ftp://files.example.com/a.txt»; ok",
                show("Visit www.example.org, then ftp://files.example.com/a.txt; ok"));
        assertEquals("Really «http://x.y/»?!", show("Really http://x.y/?!"));
        assertEquals("«HTTP://EXAMPLE.COM»", show("HTTP://EXAMPLE.COM"));
    }

    @Test
    void urlEndsAtQuotesAndUnopenedBrackets() {
        assertEquals("(see «https://x.com/a»)", show("(see https://x.com/a)"));
        assertEquals("«https://en.wikipedia.org/wiki/Foo_(bar)».", show("https://en.wikipedia.org/wiki/Foo_(bar)."));
        assertEquals("\"«https://x.com»\" and <«https://y.com»> and '«http://z.com»'",
                show("\"https://x.com\" and <https://y.com> and 'http://z.com'"));
        assertEquals("[docs](«https://x.com/docs»)", show("[docs](https://x.com/docs)"));
    }

    @Test
    void urlNeedsAHostAndAWordStart() {
        assertEquals("http:// and www. and awww.x.org", show("http:// and www. and awww.x.org"));
    }

    @Test
    void urlStopsAtNonAsciiText() {
        assertEquals("请访问«https://example.com/a»了解更多。", show("请访问https://example.com/a了解更多。"));
    }

    // ---- e-mail --------------------------------------------------------------------------------

    @Test
    void emailAddresses() {
        assertEquals("Mail «john.doe+tag@mail.example.co.uk».", show("Mail john.doe+tag@mail.example.co.uk."));
        assertEquals("(«a_b@x.io»)", show("(a_b@x.io)"));
        assertEquals("...«x@y.com»", show("...x@y.com"));
    }

    @Test
    void notEmailAddresses() {
        assertEquals("me@localhost, a@b.c, @handle, x@-, a@b.c0m", show("me@localhost, a@b.c, @handle, x@-, a@b.c0m"));
    }

    @Test
    void emailVersusUrl() {
        assertEquals("mailto:«me@x.com»", show("mailto:me@x.com"));
        assertEquals("«https://user@host.com/x?to=me@x.com»", show("https://user@host.com/x?to=me@x.com"));
        assertEquals("«user@www.example.com»", show("user@www.example.com"));
    }

    // ---- numbers -------------------------------------------------------------------------------

    @Test
    void numbersOnlyWhenAsked() {
        String text = "v2.1 costs 42% of 1,000 on 2024-05-01.";
        assertEquals(text, show(text));
        assertEquals("«v2.1» costs «42%» of «1,000» on «2024-05-01».", showNumbers(text));
    }

    @Test
    void integersDecimalsPercentagesAndSigns() {
        assertEquals("Pay «1,000,000.50» or «3.14» or «-5» or «.5» or «+7», «42%» now.",
                showNumbers("Pay 1,000,000.50 or 3.14 or -5 or .5 or +7, 42% now."));
        assertEquals("In «2024». «1», «2»; «3»!", showNumbers("In 2024. 1, 2; 3!"));
    }

    @Test
    void versionsDatesAndTimes() {
        assertEquals("«v2.1», «1.2.3», «05/01/2024», «12:30:45», «2024-05-01T12:30:00+02:00»",
                showNumbers("v2.1, 1.2.3, 05/01/2024, 12:30:45, 2024-05-01T12:30:00+02:00"));
        assertEquals("at «2024-05-01 12:30» sharp", showNumbers("at 2024-05-01 12:30 sharp"));
    }

    @Test
    void phoneNumbers() {
        assertEquals("call «+1 555-123-4567» or «+1 (555) 123-4567» or «(555) 123-4567» or «555 123 4567».",
                showNumbers("call +1 555-123-4567 or +1 (555) 123-4567 or (555) 123-4567 or 555 123 4567."));
    }

    @Test
    void numberInsideAWordProtectsTheWord() {
        assertEquals("«gpt-4o» on «H100» with «x86_64», «COVID-19»'s «1st» wave; well-known",
                showNumbers("gpt-4o on H100 with x86_64, COVID-19's 1st wave; well-known"));
    }

    @Test
    void digitGroupsJoinOnlyOverOneSpace() {
        assertEquals("«5»  «6», «5» apples, «5» «10%», «H100» «80GB», «1 2 3»",
                showNumbers("5  6, 5 apples, 5 10%, H100 80GB, 1 2 3"));
    }

    @Test
    void numbersInCjkText() {
        assertEquals("价格是«100元»，第«３»章，«2024年»", showNumbers("价格是100元，第３章，2024年"));
    }

    @Test
    void urlsAndEmailsWinOverNumbers() {
        assertEquals("«https://x.com/v2» and «123@example.com» and «5» «123@example.com»",
                showNumbers("https://x.com/v2 and 123@example.com and 5 123@example.com"));
    }

    // ---- signs, currencies, units ------------------------------------------------------------

    static Stream<Arguments> signsAndCurrencies() {
        return table(
                "It costs $4.2M.", "It costs «$4.2M».",
                "€1,200 or £3 or ¥500 or ₹10", "«€1,200» or «£3» or «¥500» or «₹10»",
                "US$5 or HK$20, not a$5", "«US$5» or «HK$20», not a$«5»",
                "down -3.5% then up +12%", "down «-3.5%» then up «+12%»",
                "±0.5 and −3 and -$5", "«±0.5» and «−3» and «-$5»",
                "revenue ($4.2M) grew", "revenue («$4.2M») grew",
                "5€, 20°C, 90° and 3‰", "«5€», «20°C», «90°» and «3‰»",
                "$$$ and $ 5 and 5 $", "$$$ and $ «5» and «5 $»");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signsAndCurrencies")
    void signCurrencyAndPercentAreInsideTheSpan(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    static Stream<Arguments> units() {
        return table(
                "12 kg", "«12 kg»",
                "3.5 GHz and 250 ms", "«3.5 GHz» and «250 ms»",
                "10 GB at 10 GB/s", "«10 GB» at «10 GB/s»",
                "5 km/h", "«5 km/h»",
                "98.6 °F or 20 °C", "«98.6 °F» or «20 °C»",
                "12 % of 5 µs", "«12 %» of «5 µs»",
                "$5 million and 4.2 bn and 100 USD", "«$5 million» and «4.2 bn» and «100 USD»",
                "1 000 kg", "«1 000 kg»",
                "300 K, 5 kWh, 3000 mAh", "«300 K», «5 kWh», «3000 mAh»",
                "2 x 3 grid", "«2 x 3» grid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void aUnitAfterOneSpaceJoinsTheNumber(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    static Stream<Arguments> notUnits() {
        return table(
                "12 people", "«12» people",
                "3 of them", "«3» of them",
                "5 in a row", "«5» in a row",
                "5 kgs and 5 kg-bag and 5 m's", "«5» kgs and «5» kg-bag and «5» m's",
                "5  kg, 5 KG, 5 Kg", "«5»  kg, «5» KG, «5» Kg",
                "give 5 us 5 a day 5 t", "give «5» us «5» a day «5» t",
                "H100 80GB", "«H100» «80GB»");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notUnits")
    void wordsThatAreNoUnitStayProse(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    // ---- dates, times, versions ----------------------------------------------------------------

    static Stream<Arguments> datesAndTimes() {
        return table(
                "on 2024-01-05 or 05/01/2024", "on «2024-01-05» or «05/01/2024»",
                "at 10:30, 10:30 AM or 10:30pm", "at «10:30», «10:30 AM» or «10:30pm»",
                "at 2024-01-05T10:30:00Z", "at «2024-01-05T10:30:00Z»",
                "at 2024-01-05 10:30 AM", "at «2024-01-05 10:30 AM»",
                "at 10 a.m. or 5 pm", "at «10 a.m.» or «5 pm»",
                "on Jan 5, 2024 or January 5, 2024", "on «Jan 5, 2024» or «January 5, 2024»",
                "on 5 January 2024 or 5th Jan. 2024", "on «5 January 2024» or «5th Jan. 2024»",
                "on Jan. 5 or Sept 5th", "on «Jan. 5» or «Sept 5th»",
                "in March 2024 or Q3 2024 or FY2025", "in «March 2024» or «Q3 2024» or «FY2025»",
                "Feb 29 2024 10:30", "«Feb 29 2024 10:30»");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datesAndTimes")
    void datesAndTimesAreWhole(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    static Stream<Arguments> monthsAsProse() {
        return table(
                "May I ask?", "May I ask?",
                "in May. 5 people came", "in May. «5» people came",
                "June. 5 ideas", "June. «5» ideas",
                "in January, we met. Jan. Next", "in January, we met. Jan. Next",
                "5th of May", "«5th» of May",
                "32 May or Jan 32", "«32» May or Jan «32»",
                "5 Jan. 5 Feb.", "«5 Jan». «5 Feb».");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("monthsAsProse")
    void aMonthNameJoinsOnlyADayOrYear(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    static Stream<Arguments> versions() {
        return table(
                "v1.2.3 and 1.2.3-beta.1", "«v1.2.3» and «1.2.3-beta.1»",
                "Python 3.12 is out", "Python «3.12» is out",
                "Node.js 20.11.0", "«Node.js» «20.11.0»");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void versionStrings(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    // ---- identifiers ---------------------------------------------------------------------------

    static Stream<Arguments> identifiers() {
        return table(
                "see TCK-4100 and JIRA-12", "see «TCK-4100» and «JIRA-12»",
                "ABC_123, user_id and get_user", "«ABC_123», «user_id» and «get_user»",
                "set maxTokens.", "set «maxTokens».",
                "Hello World, NASA, HTTPServer", "Hello World, NASA, HTTPServer",
                "__init__ and _emphasis_ and well-known", "__init__ and _emphasis_ and well-known");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiers")
    void identifiersWithAnUnderscoreOrInnerCapital(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    @Test
    void numberKindsOnlyWhenAsked() {
        String text = "It costs $4.2M or 12 kg on Jan 5, 2024 at 10:30 AM; user_id, maxTokens, TCK-4100.";
        assertEquals(text, show(text));
    }

    // ---- paths, UUIDs, hashes (always) ---------------------------------------------------------

    static Stream<Arguments> pathsAndHashes() {
        return table(
                "run /usr/local/bin/app or ./run.sh", "run «/usr/local/bin/app» or «./run.sh»",
                "in ../x/y or ~/.config/app.toml", "in «../x/y» or «~/.config/app.toml»",
                "edit src/main/java/Foo.java", "edit «src/main/java/Foo.java»",
                "open C:\\Users\\me\\file.txt or C:/tmp/x", "open «C:\\Users\\me\\file.txt» or «C:/tmp/x»",
                "share \\\\server\\share or .\\run.bat", "share «\\\\server\\share» or «.\\run.bat»",
                "config.yaml, README.md, IMG_001.JPG", "«config.yaml», «README.md», «IMG_001.JPG»",
                "cd ../.. or /tmp/ or docs/api.md", "cd «../..» or «/tmp/» or «docs/api.md»",
                "copy to s3://bucket/key", "copy to «s3://bucket/key»",
                "id 123e4567-e89b-12d3-a456-426614174000.", "id «123e4567-e89b-12d3-a456-426614174000».",
                "commit a1b2c3d or DEADBEEF12", "commit «a1b2c3d» or «DEADBEEF12»",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "«e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855»");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathsAndHashes")
    void pathsUuidsAndHashesAreAlwaysProtected(String text, String expected) {
        assertEquals(expected, show(text));
        assertEquals(expected, showNumbers(text));
    }

    static Stream<Arguments> notPaths() {
        return table(
                "and/or, either/or", "and/or, either/or",
                "km/h, TCP/IP, w/o, /help", "km/h, TCP/IP, w/o, /help",
                "state-of-the-art", "state-of-the-art",
                "e.g. this, i.e. that", "e.g. this, i.e. that",
                "Dr. Smith, the end.Next one", "Dr. Smith, the end.Next one",
                "the U.S. and D.C. too", "the U.S. and D.C. too",
                "example.com, .env, ~~strike~~", "example.com, .env, ~~strike~~",
                "abcdefa, a@b.c", "abcdefa, a@b.c");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notPaths")
    void proseWithSlashesAndDotsStaysCompressible(String text, String expected) {
        assertEquals(expected, show(text));
        assertEquals(expected, showNumbers(text));
    }

    @Test
    void numberLikeWordsAreNoPathOrHashWithoutNumbers() {
        String text = "1/2/3, 1234567, DeadBeef12, a1b2c3, a1b2c3dz, 12d3-a456";
        assertEquals(text, show(text));
    }

    // ---- punctuation, scripts ------------------------------------------------------------------

    static Stream<Arguments> punctuationNextToSpans() {
        return table(
                "Item 14. Report", "«Item 14». Report",
                "Section 1. Purpose; see Table 3.2 and Fig. 4.", "«Section 1». Purpose; see «Table 3.2» and «Fig. 4».",
                "in section 2 of", "in section «2» of",
                "costs $5. Then", "costs «$5». Then",
                "at 10:30. Then", "at «10:30». Then",
                "down -3.5%. Then", "down «-3.5%». Then",
                "(see ./run.sh).", "(see «./run.sh»).",
                "'config.yaml', \"a1b2c3d\"", "'«config.yaml»', \"«a1b2c3d»\"",
                "v1.2.3; 12 kg, 10 GB? $5! 20°C.", "«v1.2.3»; «12 kg», «10 GB»? «$5»! «20°C».",
                "on Jan 5, 2024.", "on «Jan 5, 2024».",
                "[5 km] {10 GB}", "[«5 km»] {«10 GB»}",
                "src/main/App.java:42", "«src/main/App.java»:«42»");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("punctuationNextToSpans")
    void spansLeaveSentencePunctuationOut(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    static Stream<Arguments> otherScripts() {
        return table(
                "价格为$4.2M。", "价格为«$4.2M»。",
                "温度20°C，日期2024-01-05。", "温度«20°C»，日期«2024-01-05»。",
                "版本v1.2.3。编号TCK-4100号", "版本«v1.2.3»。编号«TCK-4100号»",
                "2024年9月12日发布，收入3.8万元，第3章", "«2024年9月12日»发布，收入«3.8万元»，«第3章»",
                "15時30分に", "«15時30分»に",
                "文件在/usr/bin/app里。", "文件在«/usr/bin/app»里。",
                "ID是user_id。哈希a1b2c3d。", "ID是«user_id»。哈希«a1b2c3d»。",
                "東京で10:30 AMに", "東京で«10:30 AM»に",
                "café 12 kg, naïve_var, Ελλάδα 5 km.", "café «12 kg», «naïve_var», Ελλάδα «5 km».",
                "Zoë paid €1,200 à Paris", "Zoë paid «€1,200» à Paris");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherScripts")
    void cjkAndAccentsAroundSpans(String text, String expected) {
        assertEquals(expected, showNumbers(text));
    }

    // ---- linear time ---------------------------------------------------------------------------

    @Test
    void adversarialInputsTakeLinearTime() {
        String[] units = {"1.1.1.", "a/b/c/", "$$$", "a.a.a.", "-$-$", "1 a ", "Jan 1.", "5 Jan ", "1..", "1°",
            "12345678-1234-", "C:\\", "~/", "US$", "a_", "aB.", "5 kgkg ", "a@", "`", "[", "{\"a\":"};
        for (String unit : units) {
            String text = unit.repeat(200_000 / unit.length() + 1);
            for (boolean numbers : new boolean[] {false, true}) {
                long start = System.nanoTime();
                ProtectedSpans.find(text, 0, text.length(), numbers);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 2_000, unit + " (numbers " + numbers + ") took " + millis + " ms");
            }
        }
    }

    @Test
    void adversarialInputsGiveWholeSpans() {
        String dots = "1.1.1.".repeat(40_000);
        assertArrayEquals(new int[] {0, dots.length() - 1}, ProtectedSpans.find(dots, 0, dots.length(), true));
        assertArrayEquals(new int[0], ProtectedSpans.find(dots, 0, dots.length(), false));
        String slashes = "a/b/c/".repeat(40_000);
        assertArrayEquals(new int[] {0, slashes.length()}, ProtectedSpans.find(slashes, 0, slashes.length(), false));
        String dollars = "$$$".repeat(80_000);
        assertArrayEquals(new int[0], ProtectedSpans.find(dollars, 0, dollars.length(), true));
    }

    private static Stream<Arguments> table(String... textThenExpected) {
        return IntStream.range(0, textThenExpected.length / 2)
                .mapToObj(k -> Arguments.of(textThenExpected[2 * k], textThenExpected[2 * k + 1]));
    }

    // ---- everything together -------------------------------------------------------------------

    @Test
    void realisticPrompt() {
        String prompt = "You are a helpful assistant.\r\n"
                + "The user (jane@corp.example) asked about https://docs.example.com/v3/api, see [1].\r\n"
                + "```json\r\n{\"model\": \"gpt-4o\", \"max_tokens\": 256}\r\n```\r\n"
                + "Reply with {\"answer\": \"...\"} only; run `make test` first. 日本語もOK。";
        assertEquals("You are a helpful assistant.\r\n"
                + "The user («jane@corp.example») asked about «https://docs.example.com/v3/api», see «[1]».«\r\n"
                + "```json\r\n{\"model\": \"gpt-4o\", \"max_tokens\": 256}\r\n```\r\n»"
                + "Reply with «{\"answer\": \"...\"}» only; run «`make test`» first. 日本語もOK。", show(prompt));
    }
}
