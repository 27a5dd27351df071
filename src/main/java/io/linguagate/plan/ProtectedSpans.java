package io.linguagate.plan;

import java.util.Arrays;
import java.util.Set;

/**
 * Finds the spans of a compressible region that the compressor must keep byte for byte: code, JSON,
 * URLs, e-mail addresses, file paths, UUIDs and hashes, and (optionally) numbers with what makes
 * them mean something (sign, currency, unit, date, time, version) and code identifiers. A
 * compressor drops and merges words, which breaks exactly these things, while the upstream LLM
 * needs them verbatim. Every word inside a span is kept, so a span must be precise: one that is
 * too greedy stops the compression of prose.
 *
 * <p>One left-to-right pass; at each position the kinds are tried in a fixed order (fenced code,
 * inline code, JSON, URL, e-mail, path, UUID or hash; then, when numbers are protected, a date
 * that starts with a month name, and a word with a digit or an identifier's shape) and the first
 * match is taken whole, so spans never overlap and the result is deterministic. Every kind keeps its work
 * linear: a failed try remembers how far it looked, or looks a bounded distance, or starts only
 * where the run of chars it reads starts (so no position is read twice by it); JSON parses are
 * memoised per bracket (see {@code Json}).
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>A fence block keeps its own lines: its span runs from the line break before the opening
 *       fence to the line break after the closing one, so a compressor joining words cannot glue
 *       a fence to prose. Unclosed, it runs to the end of the region.
 *   <li>JSON is protected only when a <code>[</code> or <code>{</code> starts text that parses as strict
 *       JSON; so a citation {@code [1]} is protected (harmless: it is short and meaningful) and a
 *       template word {@code {name}} is not.
 *   <li>A URL is ASCII: it ends at whitespace, a non-ASCII char, a quote, {@code <>} or a closing
 *       bracket it did not open, so CJK prose right after it stays compressible.
 *   <li>Paths, UUIDs and hashes are protected like URLs, whether or not numbers are. A path is a
 *       run of word chars, {@code . _ - ~ + @} and separators {@code / \} (and a scheme's
 *       {@code ://}, as in {@code s3://bucket/key}), with no spaces; it counts when it starts with
 *       {@code ./ ../ ~/ .\ ..\ ~\ \\} or a drive ({@code C:\}, {@code C:/}); or when it has two
 *       {@code /} and a letter ({@code /usr/bin}, {@code src/main/java}, but also
 *       {@code he/she/they}; {@code /help}, {@code and/or}, {@code either/or}, {@code km/h},
 *       {@code 1/2/3} are not); or when its last name is a file name. A file name is
 *       {@code name.ext} with ext in a fixed list of common extensions ({@link #EXTENSIONS}),
 *       written in lower case, or in upper case when 2+ letters; so {@code config.yaml},
 *       {@code README.md}, {@code IMG_1.JPG}, {@code node.js} are protected and
 *       {@code end.Next}, {@code e.g.}, {@code U.S.}, {@code D.C.}, {@code example.com} are not.
 *       Dotfiles alone ({@code .env}) are not; inside a path ({@code ~/.config}) they are. Trailing
 *       dots after a name are sentence punctuation and stay out ({@code ../..} keeps its own).
 *   <li>A UUID is 8-4-4-4-12 hex digits; a hash is a whole word of 7+ hex digits with at least one
 *       digit and one letter, letters all lower or all upper case ({@code a1b2c3d}, a SHA-256).
 *   <li>A number inside a word protects the whole word ({@code gpt-4o}, {@code H100},
 *       {@code TCK-4100}, {@code FY2025}, {@code 2024-05-01T10:00Z}, {@code v1.2.3-beta.1},
 *       {@code 10:30pm}). Digit groups that follow a number after one space join its span, which
 *       keeps phone numbers ({@code +1 (555) 123-4567}), date-times ({@code 2024-05-01 12:30}) and
 *       quarters ({@code Q3 2024}) whole. A sign ({@code + - − ±}) or currency symbol
 *       ({@code $ € £ ¥ ₹ …}, also after 1-3 capitals: {@code US$5}, {@code HK$20}) before a number, and
 *       {@code % ‰ ° °C °F ℃ ℉} or a currency symbol right after its last digit, are in the span
 *       ({@code -3.5%}, {@code ($4.2M)} gives {@code $4.2M}, {@code 20°C}, {@code 5€}).
 *   <li>A unit after one space joins a number when it is, case-sensitively, in the fixed list
 *       {@link #UNITS} and is a whole word ({@code 12 kg}, {@code 3.5 GHz}, {@code 5 km/h},
 *       {@code 98.6 °F}, {@code 10:30 AM}, {@code 10 a.m.}, whose final dot is the abbreviation's;
 *       {@code $5 million}). English words that are also units are left out ({@code in},
 *       {@code a}, {@code t}, {@code us}), so {@code 12 people}, {@code 3 of}, {@code 5 in} stay
 *       prose; {@code K} is in (kelvin or thousands: kept either way). After the unit {@code x}
 *       digit groups join again ({@code 2 x 3}).
 *   <li>An English month name, capitalised, full or abbreviated ({@code Jan} … {@code Dec},
 *       {@code Sept}; only these take a dot), joins a day (1-31, optionally {@code st nd rd th}) or
 *       a 4-digit year next to it after one space: {@code Jan 5, 2024}, {@code January 2024},
 *       {@code 5 January 2024}, {@code Jan. 5}, {@code 5 Jan. 2024}. A month name alone
 *       ({@code May I}, {@code in May. 5 people}) is prose.
 *   <li>A word without digits is protected as an identifier when it has an inner underscore
 *       ({@code user_id}, {@code get_user}) or a lower-case letter right before an upper-case one
 *       ({@code maxTokens}, also {@code iPhone}, {@code McDonald}); capitalised and all-capital
 *       words ({@code Hello}, {@code NASA}, {@code HTTPServer}) are not, nor is {@code __init__}'s
 *       {@code init}.
 *   <li>A span never ends in sentence punctuation: {@code costs $5.} gives {@code $5}, {@code at
 *       10:30.} gives {@code 10:30}, {@code Item 14. Report} gives {@code 14}; only the dot of
 *       {@code a.m.}/{@code p.m.} is kept, being the abbreviation's.
 * </ul>
 */
final class ProtectedSpans {

    private static final int MAX_INLINE_TICKS = 16;
    /** Longer words after a number are not looked up as units. */
    private static final int MAX_UNIT_LENGTH = 9;

    /** Units and magnitudes that join a number after one space; case-sensitive ("M" mega/million, "m" metre). */
    private static final Set<String> UNITS = Set.of(
            // percent and ratios
            "%", "‰", "pp", "bps", "ppm", "x", "×",
            // magnitudes
            "k", "K", "M", "B", "bn", "mn", "thousand", "million", "billion", "trillion", "lakh", "crore",
            // currencies
            "$", "€", "£", "¥", "₹", "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "CHF", "CAD", "AUD",
            "HKD", "SGD", "KRW", "BTC", "ETH",
            // time
            "ns", "µs", "μs", "ms", "s", "sec", "secs", "min", "mins", "h", "hr", "hrs", "yr", "yrs",
            "AM", "PM", "am", "pm",
            // length, area, volume, mass
            "nm", "µm", "μm", "mm", "cm", "m", "km", "mi", "ft", "yd", "m²", "km²", "ft²", "m³",
            "mL", "ml", "cl", "L", "gal", "mg", "g", "kg", "lb", "lbs", "oz",
            // speed, frequency, rates
            "km/h", "m/s", "mph", "kph", "rpm", "fps", "Hz", "kHz", "MHz", "GHz", "THz",
            "bit", "bits", "Kbps", "kbps", "Mbps", "Gbps", "GB/s", "MB/s",
            // data
            "KB", "kB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "Kb", "Mb", "Gb",
            // energy, power, electricity, pressure, sound
            "W", "kW", "MW", "GW", "Wh", "kWh", "MWh", "GWh", "V", "kV", "mV", "mA", "mAh", "Ah", "Ω", "kΩ",
            "J", "kJ", "cal", "kcal", "Pa", "kPa", "MPa", "psi", "dB",
            // temperature
            "°", "°C", "°F", "℃", "℉",
            // screens and type
            "px", "pt", "dpi", "ppi");

    /** File extensions that make {@code name.ext} a file name (lower case; see the class comment for upper case). */
    private static final Set<String> EXTENSIONS = Set.of(
            "txt", "md", "markdown", "rst", "adoc", "tex", "bib", "rtf", "pdf", "doc", "docx", "odt", "xls", "xlsx",
            "ppt", "pptx", "csv", "tsv", "json", "jsonl", "ndjson", "yaml", "yml", "toml", "xml", "ini", "cfg",
            "conf", "properties", "env", "lock", "log", "sql", "db", "sqlite", "parquet", "avro", "proto",
            "graphql", "ipynb", "java", "class", "jar", "war", "gradle", "kt", "kts", "scala", "groovy", "clj",
            "py", "pyc", "pyi", "rb", "go", "mod", "sum", "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs",
            "fs", "vb", "swift", "dart", "lua", "pl", "php", "ex", "exs", "erl", "hs", "jl", "zig", "nim",
            "js", "mjs", "cjs", "ts", "jsx", "tsx", "vue", "svelte", "html", "htm", "css", "scss",
            "sh", "bash", "zsh", "fish", "ps1", "bat", "cmd", "mk", "cmake", "nix", "tf", "tfvars", "hcl",
            "dockerfile", "patch", "diff", "pem", "crt", "cer", "p12", "pfx", "jks",
            "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tiff", "heic", "mp3", "mp4", "wav",
            "flac", "ogg", "mov", "avi", "mkv", "webm", "ttf", "otf", "woff", "woff2",
            "zip", "tar", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "whl", "deb", "rpm", "apk", "dmg", "iso",
            "img", "exe", "msi", "dll", "so", "dylib", "lib", "bin", "dat", "tmp", "bak", "swp", "pid", "sock",
            "pt", "pth", "ckpt", "onnx", "safetensors", "gguf", "h5", "pkl", "pickle", "npy", "npz");

    private static final Set<String> MONTHS = Set.of(
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December");
    /** Abbreviations: these alone may take a dot ("Jan. 5"; "in May. 5 people" is two sentences). */
    private static final Set<String> MONTH_ABBREVIATIONS = Set.of(
            "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec");

    /** Starts that make a run a path even with one name after them. */
    private static final String[] PATH_PREFIXES = {"./", "../", ".\\", "..\\", "~/", "~\\", "\\\\"};
    private static final int[] UUID_GROUPS = {4, 4, 4, 12};

    private final String text;
    private final int from;
    private final int to;
    private final boolean numbers;
    private int[] spans = new int[8];
    private int size;
    /** End of the last span: what follows starts a word, whatever char precedes it. */
    private int lastEnd;
    /** A local part scanned up to here had no '@' (or no domain): don't rescan its tail. */
    private int emailScanEnd;
    /** A word scanned up to here had no digit and was no identifier: don't rescan its tail. */
    private int numberScanEnd;
    /** For a run of n backticks: no closing run of n exists before this index. */
    private final int[] noClosingTicksBefore = new int[MAX_INLINE_TICKS];
    private Json json;

    private ProtectedSpans(String text, int from, int to, boolean numbers) {
        this.text = text;
        this.from = from;
        this.to = to;
        this.numbers = numbers;
        this.lastEnd = from;
    }

    /** The protected spans of {@code text[from, to)} as start/end pairs, in order, disjoint, none empty. */
    static int[] find(String text, int from, int to, boolean protectNumbers) {
        ProtectedSpans finder = new ProtectedSpans(text, from, to, protectNumbers);
        finder.scan();
        return Arrays.copyOf(finder.spans, finder.size);
    }

    private void scan() {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            int start = i;
            int end = -1;
            if ((c == '`' || c == '~' || c == ' ') && isLineStart(i)) {
                end = fence(i);
                start = end < 0 ? i : withLineBreakBefore(i);
            }
            if (end < 0 && c == '`') {
                end = inlineCode(i);
            }
            if (end < 0 && (c == '{' || c == '[')) {
                end = jsonEnd(i);
            }
            if (end < 0) {
                end = url(i);
            }
            if (end < 0) {
                start = emailStart(i);
                end = start < 0 ? -1 : emailEnd(start);
                start = end < 0 ? i : start;
            }
            if (end < 0) {
                end = path(i);
            }
            if (end < 0) {
                end = hexWord(i);
            }
            if (end < 0 && numbers) {
                end = monthFirstDate(i);
            }
            if (end < 0 && numbers) {
                end = number(i);
            }
            if (end > i) {
                add(start, end);
                i = end;
            } else {
                i++;
            }
        }
    }

    private void add(int start, int end) {
        if (size + 2 > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[size++] = start;
        spans[size++] = end;
        lastEnd = end;
    }

    // ---- fenced and inline code -------------------------------------------------------------

    /** End of a fence block whose opening line starts at {@code i}, or -1. */
    private int fence(int i) {
        int p = skipIndent(i);
        char f = p < to ? text.charAt(p) : '\0';
        int n = run(p, f);
        if ((f != '`' && f != '~') || n < 3) {
            return -1;
        }
        int lineEnd = lineEnd(p + n);
        for (int k = p + n; f == '`' && k < lineEnd; k++) {
            if (text.charAt(k) == '`') {
                return -1; // "```a```" on one line is inline code, as in CommonMark
            }
        }
        int q = afterLineBreak(lineEnd);
        while (q < to) {
            int end = lineEnd(q);
            int r = skipIndent(q);
            int m = run(r, f);
            if (m >= n && isBlank(r + m, end)) {
                return afterLineBreak(end);
            }
            q = afterLineBreak(end);
        }
        return to;
    }

    /** Line-start index widened by the line break before it, unless that break already is in a span. */
    private int withLineBreakBefore(int i) {
        int start = i;
        if (start > lastEnd && text.charAt(start - 1) == '\n') {
            start--;
        }
        if (start > lastEnd && text.charAt(start - 1) == '\r') {
            start--;
        }
        return start;
    }

    /** End of inline code opened by the backtick run at {@code i}, closed by an equal run on the same line, or -1. */
    private int inlineCode(int i) {
        if (i > lastEnd && text.charAt(i - 1) == '`') {
            return -1; // inside a run that did not open code
        }
        int n = run(i, '`');
        if (n >= MAX_INLINE_TICKS || i < noClosingTicksBefore[n]) {
            return -1;
        }
        int q = i + n;
        while (q < to && text.charAt(q) != '\n' && text.charAt(q) != '\r') {
            int m = run(q, '`');
            if (m == n) {
                return q + m;
            }
            q += Math.max(m, 1);
        }
        noClosingTicksBefore[n] = q;
        return -1;
    }

    // ---- JSON ----------------------------------------------------------------------------------

    private int jsonEnd(int i) {
        if (json == null) {
            json = new Json(text, from, to);
        }
        return json.containerEnd(i);
    }

    // ---- URL and e-mail ------------------------------------------------------------------------

    /** End of a URL starting at {@code i}, trailing sentence punctuation excluded, or -1. */
    private int url(int i) {
        char c = (char) (text.charAt(i) | 0x20);
        if ((c != 'h' && c != 'f' && c != 'w') || (i > lastEnd && isAsciiLetterOrDigit(text.charAt(i - 1)))) {
            return -1;
        }
        int body = prefixEnd(i, "https://");
        body = body < 0 ? prefixEnd(i, "http://") : body;
        body = body < 0 ? prefixEnd(i, "ftp://") : body;
        boolean www = body < 0;
        body = www ? prefixEnd(i, "www.") : body;
        if (body < 0) {
            return -1;
        }
        int q = body;
        int depth = 0;
        while (q < to) {
            char d = text.charAt(q);
            if (d <= ' ' || d >= 0x7f || d == '"' || d == '\'' || d == '<' || d == '>' || d == '`') {
                break;
            }
            if (d == '(' || d == '[' || d == '{') {
                depth++;
            } else if (d == ')' || d == ']' || d == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            q++;
        }
        while (q > body && ".,;:!?".indexOf(text.charAt(q - 1)) >= 0) {
            q--;
        }
        boolean hasHost = q > body && (!www || isAsciiLetterOrDigit(text.charAt(body)));
        return hasHost ? q : -1;
    }

    private int prefixEnd(int i, String prefix) {
        return text.regionMatches(true, i, prefix, 0, prefix.length()) && i + prefix.length() <= to
                ? i + prefix.length() : -1;
    }

    /** Start of an e-mail address whose local part begins at word start {@code i} (leading dots skipped), or -1. */
    private int emailStart(int i) {
        if (i < emailScanEnd || !isLocalChar(text.charAt(i)) || (i > lastEnd && isLocalChar(text.charAt(i - 1)))) {
            return -1;
        }
        int q = i;
        while (q < to && isLocalChar(text.charAt(q))) {
            q++;
        }
        emailScanEnd = q;
        int start = i;
        while (start < q && text.charAt(start) == '.') {
            start++;
        }
        return start < q && q < to && text.charAt(q) == '@' ? start : -1;
    }

    /** End of the domain after the local part at {@code start}: dot-separated labels, a letters-only TLD of 2+, or -1. */
    private int emailEnd(int start) {
        int q = text.indexOf('@', start) + 1;
        int labels = 0;
        int lastLabel = q;
        while (true) {
            int label = q;
            while (q < to && isDomainChar(text.charAt(q))) {
                q++;
            }
            if (q == label) {
                return -1;
            }
            labels++;
            lastLabel = label;
            if (q + 1 < to && text.charAt(q) == '.' && isDomainChar(text.charAt(q + 1))) {
                q++;
            } else {
                break;
            }
        }
        if (labels < 2 || q - lastLabel < 2) {
            return -1;
        }
        for (int k = lastLabel; k < q; k++) {
            if (!isAsciiLetter(text.charAt(k))) {
                return -1;
            }
        }
        return q;
    }

    // ---- paths, UUIDs and hashes ---------------------------------------------------------------

    /**
     * End of a file path or file name whose run of path chars starts at {@code i}, trailing dots
     * excluded, or -1. Tried only where such a run starts, so each run is read once.
     */
    private int path(int i) {
        int c0 = text.codePointAt(i);
        if (!isPathChar(c0) || (i > from && isPathChar(text.codePointBefore(i)))) {
            return -1;
        }
        boolean drive = isAsciiLetter(text.charAt(i)) && i + 2 < to && text.charAt(i + 1) == ':'
                && isSeparator(text.charAt(i + 2));
        int q = drive ? i + 3 : i;
        int slashes = 0;
        int lastSeparator = drive ? i + 2 : -1;
        boolean letter = drive;
        boolean nameOnlyChars = !drive;
        while (q < to) {
            int cp = text.codePointAt(q);
            if (isSeparator(cp)) {
                slashes += cp == '/' ? 1 : 0;
                lastSeparator = q;
            } else if (cp == ':' && lastSeparator < 0 && q > i && q + 3 < to && text.startsWith("//", q + 1)
                    && isWordChar(text.codePointAt(q + 3))) {
                nameOnlyChars = false; // "s3://bucket/key": a scheme that is no URL's
            } else if (!isPathChar(cp)) {
                break;
            } else {
                letter |= Character.isLetter(cp);
                nameOnlyChars &= cp != '@' && cp != '~';
            }
            q += Character.charCount(cp);
        }
        int dots = q;
        while (dots > i && text.charAt(dots - 1) == '.') {
            dots--;
        }
        if (dots > i && !isSeparator(text.charAt(dots - 1))) {
            q = dots; // "see src/a.py." or "...": sentence dots; "../.." keeps its own
        }
        int prefix = drive ? i + 3 : pathPrefixEnd(i, q);
        boolean file = isFileName(lastSeparator < 0 ? i : lastSeparator + 1, q);
        if (prefix > 0) {
            return q > prefix ? q : -1;
        }
        if (lastSeparator < 0) {
            return file && nameOnlyChars && isWordChar(c0) ? q : -1;
        }
        return file || (slashes >= 2 && letter) ? q : -1;
    }

    /** End of a relative-path prefix ({@code ./ ../ ~/ .\ ..\ ~\ \\}) at {@code i} within {@code [i, end)}, or -1. */
    private int pathPrefixEnd(int i, int end) {
        for (String prefix : PATH_PREFIXES) {
            if (i + prefix.length() <= end && text.startsWith(prefix, i)) {
                return i + prefix.length();
            }
        }
        return -1;
    }

    /** Whether {@code [p, end)} is {@code name.ext}, ext a known extension, the name ending in a word char. */
    private boolean isFileName(int p, int end) {
        int dot = end - 1;
        while (dot > p && end - dot <= 12 && text.charAt(dot) != '.') {
            dot--;
        }
        if (dot <= p || dot + 1 >= end || text.charAt(dot) != '.' || !isWordChar(text.codePointBefore(dot))) {
            return false;
        }
        boolean lower = true;
        boolean upper = true;
        for (int k = dot + 1; k < end; k++) {
            char c = text.charAt(k);
            lower &= (c >= 'a' && c <= 'z') || isAsciiDigit(c);
            upper &= (c >= 'A' && c <= 'Z') || isAsciiDigit(c);
        }
        String ext = text.substring(dot + 1, end);
        return (lower || (upper && ext.length() >= 2)) && EXTENSIONS.contains(lower ? ext : ext.toLowerCase());
    }

    /**
     * End of a UUID or a hash (7+ hex digits, a digit and a letter among them, letters of one case)
     * that is a whole word starting at {@code i}, or -1. Tried only at a word's first char.
     */
    private int hexWord(int i) {
        if (!isHexDigit(text.charAt(i)) || (i > from && isWordChar(text.codePointBefore(i)))) {
            return -1;
        }
        int q = i;
        boolean digit = false;
        boolean lower = false;
        boolean upper = false;
        while (q < to && isHexDigit(text.charAt(q))) {
            char c = text.charAt(q++);
            digit |= isAsciiDigit(c);
            lower |= c >= 'a';
            upper |= c >= 'A' && c <= 'F';
        }
        if (q - i == 8 && q < to && text.charAt(q) == '-') {
            int uuid = uuidTail(q);
            if (uuid > 0) {
                return uuid;
            }
        }
        boolean wholeWord = q == to || !isWordChar(text.codePointAt(q));
        return wholeWord && q - i >= 7 && digit && (lower != upper) ? q : -1;
    }

    /** End of the "-4-4-4-12" hex groups of a UUID at {@code p} (its first dash), as a whole word, or -1. */
    private int uuidTail(int p) {
        int q = p;
        for (int group : UUID_GROUPS) {
            if (q + group >= to || text.charAt(q) != '-') {
                return -1;
            }
            int end = q + 1 + group;
            for (q++; q < end; q++) {
                if (!isHexDigit(text.charAt(q))) {
                    return -1;
                }
            }
        }
        return q == to || !isWordChar(text.codePointAt(q)) ? q : -1;
    }

    // ---- numbers, dates and identifiers --------------------------------------------------------

    /**
     * End of a number word starting at {@code i} with its sign, currency, suffix, digit groups, unit
     * or month, or of an identifier word; or -1.
     */
    private int number(int i) {
        char c = text.charAt(i);
        if (i < numberScanEnd || (i > lastEnd && isWordChar(text.codePointBefore(i)))) {
            return -1;
        }
        if (c == '(') {
            int end = parenthesisedDigits(i);
            return end < 0 ? -1 : joinDigitGroups(end);
        }
        int reference = referenceEnd(i);
        if (reference > 0) {
            return reference;
        }
        int p = i;
        if (c == '\u7b2c' && i + 1 < to && isAsciiDigit(text.charAt(i + 1))) {
            p = i + 1; // 第3章: the ordinal prefix belongs to the number
        } else if (c == '.' || isSign(c) || isCurrency(c)) {
            p = isSign(c) && i + 1 < to && isCurrency(text.charAt(i + 1)) ? i + 2 : i + 1;
            if (p >= to || !isAsciiDigit(text.charAt(p))) {
                return -1;
            }
        } else if (!isWordChar(text.codePointAt(i))) {
            return -1;
        }
        int end = wordEnd(p);
        if (!hasDigit(p, end)) {
            int dollar = currencyCodeDollar(p, end);
            if (dollar < 0) {
                if (isIdentifier(p, end)) {
                    return end;
                }
                numberScanEnd = end;
                return -1;
            }
            p = dollar; // "US$5", "HK$20"
            end = wordEnd(p);
        }
        int word = end;
        end = attachedSuffix(end);
        int joined = joinDigitGroups(end);
        if (joined == word && p == i && isDay(p, word)) {
            int month = monthAfterDay(word);
            if (month > 0) {
                return joinDigitGroups(month);
            }
        }
        return cjkUnits(unitAfter(joined));
    }

    /** Words that make the number after them a reference: "Section 1", "Item 14", "Table 3.2". */
    private static final java.util.Set<String> REFERENCE_WORDS = java.util.Set.of("Section", "Item", "Table",
            "Figure", "Fig.", "Chapter", "Article", "Appendix", "Annex", "Exhibit", "Step", "Phase", "Part", "Page",
            "Clause", "Schedule", "Slide", "Line", "Note", "Rule", "Paragraph", "Volume", "Issue", "No.", "§");

    /** End of a reference word, one space and a number at {@code i} ("Section 1"), or -1. */
    private int referenceEnd(int i) {
        int q = i;
        while (q < to && q - i < 12 && (isAsciiLetter(text.charAt(q)) || text.charAt(q) == '\u00a7')) {
            q++;
        }
        if (q < to && text.charAt(q) == '.') {
            q++;
        }
        if (q + 1 >= to || text.charAt(q) != ' ' || !isAsciiDigit(text.charAt(q + 1))
                || !REFERENCE_WORDS.contains(text.substring(i, q))) {
            return -1;
        }
        int end = wordEnd(q + 1);
        return hasDigit(q + 1, end) ? end : -1;
    }

    /** 年月日時时分秒 万萬亿億兆 元円 个個件号號回人倍度 章页頁. */
    private static final String CJK_UNITS = "\u5e74\u6708\u65e5\u6642\u65f6\u5206\u79d2\u4e07\u842c\u4ebf"
            + "\u5104\u5146\u5143\u5186\u4e2a\u500b\u4ef6\u53f7\u865f\u56de\u4eba\u500d\u5ea6\u7ae0\u9875\u9801";

    private static boolean isCjkUnit(char c) {
        return CJK_UNITS.indexOf(c) >= 0;
    }

    /** CJK counters and date units after digits join the number: "3.8万", "2024年9月12日", "15時30分". */
    private int cjkUnits(int end) {
        int e = end;
        while (e < to && e > from && (isAsciiDigit(text.charAt(e - 1)) || (e > end && isCjkUnit(text.charAt(e - 1))))
                && isCjkUnit(text.charAt(e))) {
            e++;
            if (e < to && isAsciiDigit(text.charAt(e))) {
                e = wordEnd(e);
            }
        }
        return e;
    }

    /** Word chars joined by connectors: {@code . - / _ +} between word chars, {@code , :} between digits. */
    private int wordEnd(int p) {
        int q = p;
        while (true) {
            while (q < to && isWordChar(text.codePointAt(q))) {
                q += Character.charCount(text.codePointAt(q));
            }
            if (q == p || q + 1 >= to) {
                return q;
            }
            char c = text.charAt(q);
            boolean joins = ".-/_+".indexOf(c) >= 0
                    ? isWordChar(text.codePointAt(q + 1))
                    : (c == ',' || c == ':') && isAsciiDigit(text.charAt(q - 1)) && isAsciiDigit(text.charAt(q + 1));
            if (!joins) {
                return q;
            }
            q++;
        }
    }

    /** Start of the amount in "US$5" when {@code [p, end)} is 1-3 capitals right before "$" and a digit, or -1. */
    private int currencyCodeDollar(int p, int end) {
        if (end - p > 3 || end + 1 >= to || text.charAt(end) != '$' || !isAsciiDigit(text.charAt(end + 1))) {
            return -1;
        }
        for (int k = p; k < end; k++) {
            if (text.charAt(k) < 'A' || text.charAt(k) > 'Z') {
                return -1;
            }
        }
        return end + 1;
    }

    /** {@code end} past a {@code % ‰ ° °C °F ℃ ℉} or currency symbol right after the number's last digit. */
    private int attachedSuffix(int end) {
        if (end >= to || !isAsciiDigit(text.charAt(end - 1))) {
            return end;
        }
        char c = text.charAt(end);
        if (c == '°') {
            boolean scale = end + 1 < to && "CFK".indexOf(text.charAt(end + 1)) >= 0
                    && (end + 2 >= to || !isWordChar(text.codePointAt(end + 2)));
            return scale ? end + 2 : end + 1;
        }
        return c == '%' || c == '‰' || c == '℃' || c == '℉' || isCurrency(c) ? end + 1 : end;
    }

    /** Extends {@code end} over following " 123", " 123-4567" or " (555)" groups, the way phone numbers are written. */
    private int joinDigitGroups(int end) {
        while (end + 1 < to && text.charAt(end) == ' ') {
            int p = end + 1;
            int next = text.charAt(p) == '(' ? parenthesisedDigits(p) : digitGroupEnd(p);
            if (next < 0 || (next < to && (text.charAt(next) == '@' || text.charAt(next) == '%'))) {
                return end;
            }
            end = next;
        }
        return end;
    }

    /** End of a whole word at {@code p} made of ASCII digits and inner {@code - . : / , +} (no letters), or -1. */
    private int digitGroupEnd(int p) {
        if (!isAsciiDigit(text.charAt(p))) {
            return -1;
        }
        int end = wordEnd(p);
        for (int k = p; k < end; k++) {
            char c = text.charAt(k);
            if (!isAsciiDigit(c) && "-.:/,+".indexOf(c) < 0) {
                return -1;
            }
        }
        return end;
    }

    /** End of "(" 1-6 ASCII digits ")" at {@code p}, or -1. */
    private int parenthesisedDigits(int p) {
        int q = p + 1;
        while (q < to && q - p <= 6 && isAsciiDigit(text.charAt(q))) {
            q++;
        }
        return q > p + 1 && q < to && text.charAt(q) == ')' ? q + 1 : -1;
    }

    /** {@code end} past " unit" when the whole word after one space is in {@link #UNITS} (or is a.m./p.m.). */
    private int unitAfter(int end) {
        if (end + 1 >= to || text.charAt(end) != ' ') {
            return end;
        }
        int p = end + 1;
        for (String meridiem : new String[] {"a.m.", "p.m.", "A.M.", "P.M."}) {
            int q = p + meridiem.length();
            if (q <= to && text.startsWith(meridiem, p) && (q == to || !isWordChar(text.codePointAt(q)))) {
                return q;
            }
        }
        int q = p;
        while (q < to && q - p <= MAX_UNIT_LENGTH && isUnitChar(text.charAt(q))) {
            q++;
        }
        if (q == p || q - p > MAX_UNIT_LENGTH || (q < to && continuesWord(q))) {
            return end;
        }
        String unit = text.substring(p, q);
        if (!UNITS.contains(unit)) {
            return end;
        }
        return unit.equals("x") || unit.equals("×") ? joinDigitGroups(q) : q;
    }

    /** Whether the word before {@code q} goes on at {@code q} ("kg" in "kg-bag", "kgs", "m's"). */
    private boolean continuesWord(int q) {
        int cp = text.codePointAt(q);
        if (isWordChar(cp)) {
            return true;
        }
        return "-_'’.".indexOf(cp) >= 0 && q + 1 < to && isWordChar(text.codePointAt(q + 1));
    }

    /** End of "Month day[, year]" or "Month year" starting at {@code i} (a word start), or -1. */
    private int monthFirstDate(int i) {
        if ("JFMASOND".indexOf(text.charAt(i)) < 0 || (i > lastEnd && isWordChar(text.codePointBefore(i)))) {
            return -1;
        }
        int month = monthEnd(i);
        if (month < 0) {
            return -1;
        }
        int q = month < to && text.charAt(month) == '.' && isAbbreviation(i, month) ? month + 1 : month;
        if (q + 1 >= to || text.charAt(q) != ' ' || !isAsciiDigit(text.charAt(q + 1))) {
            return -1;
        }
        int p = q + 1;
        int end = wordEnd(p);
        if (end < to && text.charAt(end) == '%') {
            return -1;
        }
        if (isDay(p, end)) {
            if (end + 2 < to && text.charAt(end) == ',' && text.charAt(end + 1) == ' '
                    && isAsciiDigit(text.charAt(end + 2))) {
                int year = wordEnd(end + 2);
                end = isYear(end + 2, year) ? year : end;
            }
        } else if (!isYear(p, end)) {
            return -1;
        }
        return joinDigitGroups(end);
    }

    /** End of " Month" (or " Mon." before " 2024") after a day ending at {@code end}, or -1. */
    private int monthAfterDay(int end) {
        if (end + 1 >= to || text.charAt(end) != ' ') {
            return -1;
        }
        int p = end + 1;
        int month = monthEnd(p);
        if (month < 0) {
            return -1;
        }
        boolean dotBeforeYear = month + 1 < to && text.charAt(month) == '.' && text.charAt(month + 1) == ' '
                && isAbbreviation(p, month) && month + 6 <= to && isYear(month + 2, month + 6)
                && digitGroupEnd(month + 2) == month + 6;
        return dotBeforeYear ? month + 1 : month;
    }

    /** End of a capitalised English month name or abbreviation at {@code p}, as a whole word, or -1. */
    private int monthEnd(int p) {
        if (p >= to || "JFMASOND".indexOf(text.charAt(p)) < 0) {
            return -1;
        }
        int q = p;
        while (q < to && q - p < 10 && isAsciiLetter(text.charAt(q))) {
            q++;
        }
        if (q < to && isWordChar(text.codePointAt(q))) {
            return -1;
        }
        String name = text.substring(p, q);
        return MONTHS.contains(name) || MONTH_ABBREVIATIONS.contains(name) ? q : -1;
    }

    private boolean isAbbreviation(int p, int end) {
        return end - p <= 4 && MONTH_ABBREVIATIONS.contains(text.substring(p, end));
    }

    /** Whether {@code [p, end)} is a day of the month: 1-31, optionally with "st", "nd", "rd" or "th". */
    private boolean isDay(int p, int end) {
        int q = p;
        while (q < end && q - p < 3 && isAsciiDigit(text.charAt(q))) {
            q++;
        }
        if (q == p || q - p > 2) {
            return false;
        }
        int day = Integer.parseInt(text, p, q, 10);
        if (day < 1 || day > 31) {
            return false;
        }
        return q == end || (end - q == 2 && switch (text.substring(q, end)) {
            case "st", "nd", "rd", "th" -> true;
            default -> false;
        });
    }

    private boolean isYear(int p, int end) {
        if (end - p != 4) {
            return false;
        }
        for (int k = p; k < end; k++) {
            if (!isAsciiDigit(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** A word with an inner underscore ("user_id") or a lower-case letter right before an upper-case one ("maxTokens"). */
    private boolean isIdentifier(int p, int end) {
        for (int k = p; k < end; k++) {
            char c = text.charAt(k);
            if (c == '_' || (k > p && Character.isUpperCase(c) && Character.isLowerCase(text.charAt(k - 1)))) {
                return true;
            }
        }
        return false;
    }

    private boolean hasDigit(int p, int end) {
        for (int k = p; k < end; k++) {
            if (Character.isDigit(text.charAt(k))) {
                return true;
            }
        }
        return false;
    }

    // ---- lines and chars -----------------------------------------------------------------------

    private boolean isLineStart(int i) {
        if (i == from) {
            return true; // a region starts right after a tag or at the text's start
        }
        char prev = text.charAt(i - 1);
        return prev == '\n' || (prev == '\r' && text.charAt(i) != '\n');
    }

    private int skipIndent(int p) {
        int q = p;
        while (q < to && q - p < 3 && text.charAt(q) == ' ') {
            q++;
        }
        return q;
    }

    private int run(int p, char c) {
        int q = p;
        while (q < to && text.charAt(q) == c) {
            q++;
        }
        return q - p;
    }

    private int lineEnd(int p) {
        int q = p;
        while (q < to && text.charAt(q) != '\n' && text.charAt(q) != '\r') {
            q++;
        }
        return q;
    }

    private int afterLineBreak(int lineEnd) {
        if (lineEnd >= to) {
            return to;
        }
        boolean crlf = text.charAt(lineEnd) == '\r' && lineEnd + 1 < to && text.charAt(lineEnd + 1) == '\n';
        return lineEnd + (crlf ? 2 : 1);
    }

    private boolean isBlank(int p, int end) {
        for (int k = p; k < end; k++) {
            if (text.charAt(k) != ' ' && text.charAt(k) != '\t') {
                return false;
            }
        }
        return true;
    }

    /** A letter or digit of a script that separates words by spaces; CJK, Thai etc. are each a word boundary. */
    private static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return isAsciiLetterOrDigit((char) cp);
        }
        if (!Character.isLetterOrDigit(cp) || Character.isIdeographic(cp)) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script != Character.UnicodeScript.HIRAGANA && script != Character.UnicodeScript.KATAKANA
                && script != Character.UnicodeScript.THAI && script != Character.UnicodeScript.LAO
                && script != Character.UnicodeScript.KHMER && script != Character.UnicodeScript.MYANMAR;
    }

    private static boolean isLocalChar(char c) {
        return isAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomainChar(char c) {
        return isAsciiLetterOrDigit(c) || c == '-';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || isAsciiDigit(c);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A char of a path's run: a word char or {@code . _ - ~ + @}, or a separator. */
    private static boolean isPathChar(int cp) {
        return isWordChar(cp) || (cp < 0x80 && "._-~+@/\\".indexOf(cp) >= 0);
    }

    private static boolean isSeparator(int cp) {
        return cp == '/' || cp == '\\';
    }

    private static boolean isHexDigit(char c) {
        return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isSign(char c) {
        return c == '+' || c == '-' || c == '−' || c == '±';
    }

    private static boolean isCurrency(char c) {
        return "$€£¥₹₩₽¢₺₫₱₪₴₦₿".indexOf(c) >= 0;
    }

    /** A char of a unit word after a number: see {@link #UNITS}. */
    private static boolean isUnitChar(char c) {
        return isAsciiLetter(c) || "%‰°²³/µμΩ×$€£¥₹℃℉".indexOf(c) >= 0;
    }

    /**
     * Strict JSON (RFC 8259) recogniser for arrays and objects, iterative (no stack overflow on deep
     * nesting) and memoised by bracket position. JSON being LL(1), the value that starts at a bracket
     * parses the same whatever encloses it, so a result computed once, even while parsing a larger
     * candidate that failed, holds for every later try: each bracket is parsed at most once.
     */
    private static final class Json {

        private static final int FAIL = -1;
        private static final byte ARRAY_FIRST = 0;   // after '[': value or ']'
        private static final byte ARRAY_NEXT = 1;    // after ',': value
        private static final byte ARRAY_AFTER = 2;   // after a value: ',' or ']'
        private static final byte OBJECT_FIRST = 3;  // after '{': key or '}'
        private static final byte OBJECT_NEXT = 4;   // after ',': key
        private static final byte OBJECT_COLON = 5;  // after a key: ':'
        private static final byte OBJECT_VALUE = 6;  // after ':': value
        private static final byte OBJECT_AFTER = 7;  // after a value: ',' or '}'

        private final String text;
        private final int from;
        private final int to;
        /** By position - from: 0 not parsed yet, FAIL, or the end of the container starting there. */
        private final int[] memo;
        private int[] starts = new int[16];
        private byte[] states = new byte[16];
        private int depth;

        Json(String text, int from, int to) {
            this.text = text;
            this.from = from;
            this.to = to;
            this.memo = new int[to - from];
        }

        /** End of the JSON array or object starting at {@code start}, or -1. */
        int containerEnd(int start) {
            int known = memo[start - from];
            if (known != 0) {
                return known;
            }
            push(start);
            int p = start + 1;
            while (true) {
                p = skipSpace(p);
                if (p >= to) {
                    return fail();
                }
                char c = text.charAt(p);
                byte state = states[depth - 1];
                if ((c == ']' && (state == ARRAY_FIRST || state == ARRAY_AFTER))
                        || (c == '}' && (state == OBJECT_FIRST || state == OBJECT_AFTER))) {
                    memo[starts[--depth] - from] = p + 1;
                    if (depth == 0) {
                        return p + 1;
                    }
                    p++;
                } else if (c == ',' && (state == ARRAY_AFTER || state == OBJECT_AFTER)) {
                    states[depth - 1] = state == ARRAY_AFTER ? ARRAY_NEXT : OBJECT_NEXT;
                    p++;
                } else if (c == ':' && state == OBJECT_COLON) {
                    states[depth - 1] = OBJECT_VALUE;
                    p++;
                } else if (c == '"' && (state == OBJECT_FIRST || state == OBJECT_NEXT)) {
                    states[depth - 1] = OBJECT_COLON;
                    p = stringEnd(p);
                } else if (state == ARRAY_FIRST || state == ARRAY_NEXT || state == OBJECT_VALUE) {
                    states[depth - 1] = state == OBJECT_VALUE ? OBJECT_AFTER : ARRAY_AFTER;
                    p = value(p, c);
                } else {
                    return fail();
                }
                if (p < 0) {
                    return fail();
                }
            }
        }

        /** Past a value at {@code p}: a known container is skipped, a new one pushed (returns just past its bracket). */
        private int value(int p, char c) {
            if (c == '[' || c == '{') {
                int known = memo[p - from];
                if (known != 0) {
                    return known;
                }
                push(p);
                return p + 1;
            }
            return switch (c) {
                case '"' -> stringEnd(p);
                case 't' -> literalEnd(p, "true");
                case 'f' -> literalEnd(p, "false");
                case 'n' -> literalEnd(p, "null");
                default -> numberEnd(p);
            };
        }

        private void push(int start) {
            if (depth == starts.length) {
                starts = Arrays.copyOf(starts, depth * 2);
                states = Arrays.copyOf(states, depth * 2);
            }
            starts[depth] = start;
            states[depth++] = text.charAt(start) == '[' ? ARRAY_FIRST : OBJECT_FIRST;
        }

        /** Every open container fails with its child: record that for all of them. */
        private int fail() {
            while (depth > 0) {
                memo[starts[--depth] - from] = FAIL;
            }
            return FAIL;
        }

        private int stringEnd(int p) {
            int q = p + 1;
            while (q < to) {
                char c = text.charAt(q);
                if (c == '"') {
                    return q + 1;
                }
                if (c < 0x20) {
                    return FAIL;
                }
                if (c == '\\') {
                    char e = q + 1 < to ? text.charAt(q + 1) : '\0';
                    if ("\"\\/bfnrt".indexOf(e) >= 0) {
                        q += 2;
                    } else if (e == 'u' && isHex(q + 2) && isHex(q + 3) && isHex(q + 4) && isHex(q + 5)) {
                        q += 6;
                    } else {
                        return FAIL;
                    }
                } else {
                    q++;
                }
            }
            return FAIL;
        }

        /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
        private int numberEnd(int p) {
            int q = p < to && text.charAt(p) == '-' ? p + 1 : p;
            if (q >= to || !isAsciiDigit(text.charAt(q))) {
                return FAIL;
            }
            q = text.charAt(q) == '0' ? q + 1 : digitsEnd(q);
            if (q < to && text.charAt(q) == '.') {
                int d = digitsEnd(q + 1);
                if (d == q + 1) {
                    return FAIL;
                }
                q = d;
            }
            if (q < to && (text.charAt(q) == 'e' || text.charAt(q) == 'E')) {
                int e = q + 1 < to && (text.charAt(q + 1) == '+' || text.charAt(q + 1) == '-') ? q + 2 : q + 1;
                int d = digitsEnd(e);
                if (d == e) {
                    return FAIL;
                }
                q = d;
            }
            return q;
        }

        private int digitsEnd(int p) {
            int q = p;
            while (q < to && isAsciiDigit(text.charAt(q))) {
                q++;
            }
            return q;
        }

        private int literalEnd(int p, String literal) {
            return text.startsWith(literal, p) && p + literal.length() <= to ? p + literal.length() : FAIL;
        }

        private boolean isHex(int p) {
            return p < to && Character.digit(text.charAt(p), 16) >= 0 && text.charAt(p) < 0x80;
        }

        private int skipSpace(int p) {
            int q = p;
            while (q < to) {
                char c = text.charAt(q);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                q++;
            }
            return q;
        }
    }
}
