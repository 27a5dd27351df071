package io.linguagate.plan;

import static io.linguagate.plan.SegmenterChecks.show;
import static io.linguagate.plan.SegmenterChecks.showNumbers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Code, URLs, e-mail addresses and numbers; JSON has its own test. Rendering: see {@link SegmenterChecks}. */
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
        assertEquals("价格是«100»元，第«３»章，«2024»年", showNumbers("价格是100元，第３章，2024年"));
    }

    @Test
    void urlsAndEmailsWinOverNumbers() {
        assertEquals("«https://x.com/v2» and «123@example.com» and «5» «123@example.com»",
                showNumbers("https://x.com/v2 and 123@example.com and 5 123@example.com"));
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
