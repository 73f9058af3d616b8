import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The in-house TOML 1.0 parser: every value kind, keys, tables, the redefinition rules, error
/// lines, key lines, and a fuzz test proving that mutated configurations never crash it.
struct TOMLParserTests {
    // MARK: Helpers

    private func parse(_ text: String) throws(TOMLSyntaxError) -> [String: ConfigValue] {
        try TOMLDocument.parse(text).root
    }

    /// The error for `text`, or nil (recorded as a failure) when it parses.
    private func syntaxError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> TOMLSyntaxError? {
        do {
            let document = try TOMLDocument.parse(text)
            Issue.record("expected a syntax error, parsed \(document.root)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    private func value(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigValue? {
        do {
            return try parse("v = " + text)["v"]
        } catch {
            Issue.record("'\(text)' did not parse: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    // MARK: Strings

    @Test func basicStringsDecodeEveryEscape() throws {
        #expect(value(#""\b\t\n\f\r\"\\""#) == .string("\u{8}\t\n\u{C}\r\"\\"))
        #expect(value(#""\u00E9 \U0001F600 \u0000 \u007F""#) == .string("é 😀 \u{0} \u{7F}"))
        #expect(value("\"plain é 😀 with a\ttab\"") == .string("plain é 😀 with a\ttab"))
        #expect(value("\"\"") == .string(""))
        #expect(value("\"# not a comment\" # a comment") == .string("# not a comment"))
    }

    @Test func literalStringsAreVerbatim() throws {
        #expect(value(#"'C:\Users\nodejs\templates'"#) == .string(#"C:\Users\nodejs\templates"#))
        #expect(value(#"'<\i\c*\s*>'"#) == .string(#"<\i\c*\s*>"#))
        #expect(value("''") == .string(""))
        #expect(value(#"'"quoted"'"#) == .string(#""quoted""#))
    }

    @Test func multiLineBasicStrings() throws {
        #expect(value("\"\"\"\nRoses are red\nViolets are blue\"\"\"") == .string("Roses are red\nViolets are blue"))
        // CRLF is stored as LF, including the trimmed first newline.
        #expect(value("\"\"\"\r\none\r\ntwo\"\"\"") == .string("one\ntwo"))
        // A line-ending backslash trims whitespace and newlines up to the next text.
        #expect(value("\"\"\"\nThe quick brown \\\n\n\n  fox jumps \\   \n   over.\"\"\"") == .string("The quick brown fox jumps over."))
        #expect(value("\"\"\"a \\\r\n  b\"\"\"") == .string("a b"))
        // Up to two quotes right before the closing delimiter belong to the content.
        let q = "\""
        #expect(value(q + q + q + "Two quotes: \"\". Simple." + q + q + q) == .string("Two quotes: \"\". Simple."))
        #expect(value(q + q + q + q + "This,\" she said, \"is pointless.\"" + q + q + q + q) == .string("\"This,\" she said, \"is pointless.\"\""))
        #expect(value(String(repeating: q, count: 8)) == .string(q + q))
        #expect(value(q + q + q + "\\" + q + String(repeating: q, count: 5)) == .string(q + q + q))
        #expect(value("\"\"\"tab\there \\u00E9\"\"\"") == .string("tab\there é"))
    }

    @Test func multiLineLiteralStrings() throws {
        #expect(
            value("'''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''")
                == .string("The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n")
        )
        #expect(value("'''I [dw]on't need \\d{2} apples'''") == .string("I [dw]on't need \\d{2} apples"))
        #expect(value("''''That,' she said, 'is still pointless.''''") == .string("'That,' she said, 'is still pointless.'"))
        #expect(value("'''a'''''") == .string("a''"))
        #expect(value("'''\r\nx\r\ny'''") == .string("x\ny"))
    }

    // MARK: Numbers, booleans, dates

    @Test func integers() throws {
        let cases: [(String, Int64)] = [
            ("+99", 99), ("42", 42), ("0", 0), ("-17", -17), ("+0", 0), ("-0", 0),
            ("1_000", 1000), ("5_349_221", 5_349_221), ("53_49_221", 5_349_221), ("1_2_3_4_5", 12345),
            ("0xDEADBEEF", 0xDEAD_BEEF), ("0xdeadbeef", 0xDEAD_BEEF), ("0xdead_beef", 0xDEAD_BEEF), ("0x00ff", 255),
            ("0o01234567", 0o1234567), ("0o755", 0o755), ("0b11010110", 0b1101_0110), ("0b0_1", 1),
            ("9223372036854775807", .max), ("-9223372036854775808", .min),
            ("0x7FFFFFFFFFFFFFFF", .max), ("0o777777777777777777777", .max),
            ("0b" + String(repeating: "1", count: 63), .max),
        ]
        for (text, expected) in cases {
            #expect(value(text) == .int(expected), "\(text)")
        }
    }

    @Test(arguments: [
        "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999",
        "0x8000000000000000", "0xFFFFFFFFFFFFFFFF", "0x1_0000_0000_0000_0000",
        "0o1000000000000000000000", "0b1" + String(repeating: "0", count: 63),
    ])
    func integerOverflowIsAnError(text: String) throws {
        let error = syntaxError("\n\nbig = \(text)")
        #expect(error?.line == 3)
        #expect(error?.message.contains("64 bits") == true)
    }

    @Test func floats() throws {
        let cases: [(String, Double)] = [
            ("+1.0", 1.0), ("3.1415", 3.1415), ("-0.01", -0.01), ("5e+22", 5e22), ("1e06", 1e6),
            ("-2E-2", -2e-2), ("6.626e-34", 6.626e-34), ("224_617.445_991_228", 224_617.445_991_228),
            ("0.0", 0), ("-0.0", -0.0), ("+0.0", 0), ("1e1_0", 1e10), ("0e0", 0), ("1E+5", 1e5),
            ("9_007_199_254_740_993.0", 9_007_199_254_740_992),
        ]
        for (text, expected) in cases {
            #expect(value(text) == .double(expected), "\(text)")
        }
        #expect(value("inf") == .double(.infinity))
        #expect(value("+inf") == .double(.infinity))
        #expect(value("-inf") == .double(-.infinity))
        for text in ["nan", "+nan", "-nan"] {
            guard case .double(let d) = value(text) else {
                Issue.record("\(text) is not a double")
                continue
            }
            #expect(d.isNaN)
        }
        guard case .double(let negativeZero) = value("-0.0") else { return }
        #expect(negativeZero.sign == .minus)
    }

    @Test func booleans() throws {
        #expect(try parse("t = true\nf = false") == ["t": .bool(true), "f": .bool(false)])
    }

    @Test func datesAndTimesKeepTheirText() throws {
        let valid = [
            "1979-05-27T07:32:00Z", "1979-05-27T00:32:00-07:00", "1979-05-27T00:32:00.999999-07:00",
            "1979-05-27 07:32:00Z", "1979-05-27t07:32:00z", "1979-05-27T07:32:00+14:00",
            "1979-05-27T07:32:00", "1979-05-27T00:32:00.999999", "1979-05-27 07:32:00",
            "1979-05-27", "2024-02-29", "2000-02-29", "0000-01-01", "9999-12-31",
            "07:32:00", "00:32:00.999999", "23:59:60", "1990-12-31T23:59:60Z",
        ]
        for text in valid {
            #expect(value(text) == .string(text), "\(text)")
        }
        #expect(
            try parse("d = 1979-05-27 # a date\nt = 1979-05-27 07:32:00 # date-time") == [
                "d": .string("1979-05-27"), "t": .string("1979-05-27 07:32:00"),
            ]
        )
        #expect(
            value("[1979-05-27, 07:32:00, 1979-05-27 07:32:00Z]")
                == .array([
                    .string("1979-05-27"), .string("07:32:00"), .string("1979-05-27 07:32:00Z"),
                ])
        )
    }

    // MARK: Arrays and inline tables

    @Test func arrays() throws {
        #expect(value("[]") == .array([]))
        #expect(value("[ 1, 2, 3 ]") == .array([.int(1), .int(2), .int(3)]))
        #expect(value("[1,2,]") == .array([.int(1), .int(2)]))
        #expect(
            value(#"[ [ 1, 2 ], ["a", 'b'], [] ]"#)
                == .array([
                    .array([.int(1), .int(2)]), .array([.string("a"), .string("b")]), .array([]),
                ])
        )
        #expect(
            value(#"[ 0.1, "x", true, { a = 1 }, [2] ]"#)
                == .array([
                    .double(0.1), .string("x"), .bool(true), .table(["a": .int(1)]), .array([.int(2)]),
                ])
        )
        let multiLine = """
            v = [  # comment after the bracket
              1,   # one
              # a comment line

              2    # no comma yet
              ,
              \"\"\"
            three\"\"\",
            ]
            """
        #expect(try parse(multiLine)["v"] == .array([.int(1), .int(2), .string("three")]))
        #expect(try parse("v = [\r\n1,\r\n2\r\n]")["v"] == .array([.int(1), .int(2)]))
    }

    @Test func inlineTables() throws {
        #expect(value("{}") == .table([:]))
        #expect(
            value(#"{ first = "Tom", last = "Preston-Werner" }"#)
                == .table([
                    "first": .string("Tom"), "last": .string("Preston-Werner"),
                ])
        )
        #expect(
            value("{ x = 1, y.z = 2, y.w = { q = [1, { r = 3 }] } }")
                == .table([
                    "x": .int(1),
                    "y": .table(["z": .int(2), "w": .table(["q": .array([.int(1), .table(["r": .int(3)])])])]),
                ])
        )
        // Newlines are only allowed inside values, such as arrays.
        #expect(value("{ a = [\n1,\n2], b = 'x' }") == .table(["a": .array([.int(1), .int(2)]), "b": .string("x")]))
        #expect(value(#"{"quoted key" = 1, 'lit' = 2}"#) == .table(["quoted key": .int(1), "lit": .int(2)]))
    }

    // MARK: Keys

    @Test func keyForms() throws {
        let text = """
            bare_key = 1
            bare-key = 2
            1234 = 3
            "127.0.0.1" = 4
            "character encoding" = 5
            "ʎǝʞ" = 6
            'key2' = 7
            'quoted "value"' = 8
            "" = 9
            "a\\u0041\\tb" = 10
            site."google.com" = 11
            fruit . color = 12
            fruit	.	"shape" = 13
            3.14159 = 14
            -_-= 15
            """
        let root = try parse(text)
        #expect(root["bare_key"] == .int(1))
        #expect(root["bare-key"] == .int(2))
        #expect(root["1234"] == .int(3))
        #expect(root["127.0.0.1"] == .int(4))
        #expect(root["character encoding"] == .int(5))
        #expect(root["ʎǝʞ"] == .int(6))
        #expect(root["key2"] == .int(7))
        #expect(root["quoted \"value\""] == .int(8))
        #expect(root[""] == .int(9))
        #expect(root["aA\tb"] == .int(10))
        #expect(root["site"] == .table(["google.com": .int(11)]))
        #expect(root["fruit"] == .table(["color": .int(12), "shape": .int(13)]))
        #expect(root["3"] == .table(["14159": .int(14)]))
        #expect(root["-_-"] == .int(15))
    }

    @Test func dottedKeysBuildTables() throws {
        let text = """
            name = "Orange"
            physical.color = "orange"
            physical.shape = "round"
            site."google.com" = true
            apple.type = "fruit"
            orange.type = "fruit"
            apple.skin = "thin"
            """
        #expect(
            try parse(text) == [
                "name": .string("Orange"),
                "physical": .table(["color": .string("orange"), "shape": .string("round")]),
                "site": .table(["google.com": .bool(true)]),
                "apple": .table(["type": .string("fruit"), "skin": .string("thin")]),
                "orange": .table(["type": .string("fruit")]),
            ]
        )
    }

    // MARK: Tables

    @Test func tablesAndSubtables() throws {
        let text = """
            top = 0
            [table-1]
            key1 = "some string"
            key2 = 123

            [ dog . "tater.man" ]
            type.name = "pug"

            [x.y.z.w] # implicit x, y, z
            [x] # defining a super-table afterwards is fine
            a = 1

            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]  # sub-tables of dotted-key tables are allowed
            smooth = true
            """
        #expect(
            try parse(text) == [
                "top": .int(0),
                "table-1": .table(["key1": .string("some string"), "key2": .int(123)]),
                "dog": .table(["tater.man": .table(["type": .table(["name": .string("pug")])])]),
                "x": .table(["a": .int(1), "y": .table(["z": .table(["w": .table([:])])])]),
                "fruit": .table([
                    "apple": .table([
                        "color": .string("red"),
                        "taste": .table(["sweet": .bool(true)]),
                        "texture": .table(["smooth": .bool(true)]),
                    ])
                ]),
            ]
        )
    }

    @Test func arraysOfTablesWithSubtables() throws {
        let text = """
            [[products]]
            name = "Hammer"
            sku = 738594937

            [[products]]  # empty table within the array

            [[products]]
            name = "Nail"
            color = "gray"

            [[fruits]]
            name = "apple"

            [fruits.physical]  # subtable
            color = "red"

            [[fruits.varieties]]  # nested array of tables
            name = "red delicious"

            [[fruits.varieties]]
            name = "granny smith"

            [[fruits]]
            name = "banana"

            [[fruits.varieties]]
            name = "plantain"
            """
        #expect(
            try parse(text) == [
                "products": .array([
                    .table(["name": .string("Hammer"), "sku": .int(738_594_937)]),
                    .table([:]),
                    .table(["name": .string("Nail"), "color": .string("gray")]),
                ]),
                "fruits": .array([
                    .table([
                        "name": .string("apple"),
                        "physical": .table(["color": .string("red")]),
                        "varieties": .array([
                            .table(["name": .string("red delicious")]), .table(["name": .string("granny smith")]),
                        ]),
                    ]),
                    .table([
                        "name": .string("banana"),
                        "varieties": .array([.table(["name": .string("plantain")])]),
                    ]),
                ]),
            ]
        )
    }

    @Test func definitionsTheSpecAllows() throws {
        // Each array-of-tables element gets its own sub-tables.
        #expect(
            try parse("[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2") == [
                "a": .array([.table(["b": .table(["x": .int(1)])]), .table(["b": .table(["x": .int(2)])])])
            ]
        )
        // A table created only as the parent of a header may get dotted keys later (as tomli does).
        #expect(try parse("[a.b.c]\n[a]\nb.d = 1") == ["a": .table(["b": .table(["c": .table([:]), "d": .int(1)])])])
        #expect(try parse("a.b = 1\n[a.c]\nd = 2") == ["a": .table(["b": .int(1), "c": .table(["d": .int(2)])])])
        #expect(try parse("[a]\n[a.b]\n[a.c]") == ["a": .table(["b": .table([:]), "c": .table([:])])])
        #expect(try parse("# only a comment\n\n   \n\t# another") == [:])
        #expect(try parse("") == [:])
        #expect(try parse("\u{FEFF}a = 1") == ["a": .int(1)])
        #expect(try parse("a = 1\r\n[b]\r\nc = 'x' # comment\r\n") == ["a": .int(1), "b": .table(["c": .string("x")])])
    }

    // MARK: Redefinition errors

    @Test(arguments: [
        ("a = 1\na = 2", 2),
        ("a = 1\n\"a\" = 2", 2),
        ("a = 1\n'a' = 2", 2),
        ("a.b = 1\na.b = 2", 2),
        ("a = 1\na.b = 2", 2),
        ("a = 'x'\n[a.b]", 2),
        ("[a]\nx = 1\n[a]", 3),
        ("[a.b]\n[a]\n[a]", 3),
        ("[a]\n[a.b]\n[a.b]", 3),
        ("[a]\nb = 1\n[a.b]", 3),
        ("[a]\nb.c = 1\n[a.b]", 3),
        ("a.b.c = 1\n[a.b]", 2),
        ("a.b = 1\n[a]", 2),
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 9", 4),
        ("[a.b.c.d]\n  z = 9\n[a]\n  b.c.d.k.t = 1", 4),
        ("[a]\nb.c = 1\n\"b\".c = 2", 3),
        ("a = []\n[[a]]", 2),
        ("a = [{ b = 1 }]\n[[a]]", 2),
        ("[a]\nb = [1]\n[[a.b]]", 3),
        ("[[a]]\n[a]", 2),
        ("[a]\n[[a]]", 2),
        ("[[a.b]]\n[a]\nb.c = 1", 3),
        ("[[a.b]]\n[a.b]", 2),
        ("a = { b = 1 }\na.c = 2", 2),
        ("a = {}\na.b = 1", 2),
        ("a = { b = 1 }\n[a]", 2),
        ("a = { b = 1 }\n[a.c]", 2),
        ("a = { b = { c = 1 } }\n[a.b.d]", 2),
        ("a = { b = 1 }\n[[a.c]]", 2),
        ("a = { b = 1, b = 2 }", 1),
        ("a = { b.c = 1, b = 2 }", 1),
        ("a = { b = { c = 1 }, b.d = 2 }", 1),
        ("a = { b = [1], b = [2] }", 1),
        ("tbl = { fruit = { apple.color = \"red\", apple.taste.sweet = true }, fruit.apple.texture = { smooth = true } }", 1),
        ("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3),
        ("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.taste]", 4),
    ])
    func redefinitionIsAnError(text: String, line: Int) throws {
        let error = syntaxError(text)
        #expect(error?.line == line, "\(error?.description ?? "no error")")
    }

    // MARK: Malformed input

    @Test(arguments: [
        // Headers
        ("[=]", 1), ("[.a]", 1), ("[ = 1", 1), ("[a.]", 1), ("[a..b]", 1), ("[]", 1), ("[[]]", 1),
        ("[a]]", 1), ("[[a]", 1), ("[[a] ]", 1), ("[ [a]]", 1), ("x = 1\n[b\nc = 2", 2), ("[a] b = 1", 1),
        ("[a\n]", 1), ("[\"a\nb\"]", 1), ("[a] # ok\n[b] [c]", 2),
        // Keys and statements
        ("= 1", 1), ("a b = 1", 1), ("a. = 1", 1), (".a = 1", 1), ("a..b = 1", 1), ("a", 1), ("a =", 1),
        ("a = \n1", 1), ("key = # no value", 1), ("\"\"\"a\"\"\" = 1", 1), ("'''a''' = 1", 1), ("a = 1 b = 2", 1),
        ("a = 1,\n", 1), ("\n\na : 1", 3), ("a = 'x' 'y'", 1), ("a.\"b\nc\" = 1", 1),
        // Arrays
        ("a = [}", 1), ("a = [1,,2]", 1), ("a = [,]", 1), ("a = [1 2]", 1), ("a = [1, 2", 1), ("a = [\n1,\n2\n", 4),
        ("a = [\n1,\n,2]", 3), ("a = [1] ]", 1), ("a = [1}", 1), ("a = [[1]", 1),
        // Inline tables
        ("a = {b=]}", 1), ("a = {b = 1,}", 1), ("a = {b = 1\n}", 1), ("a = {\nb = 1}", 1), ("a = {b = 1", 1),
        ("a = {a = 1 b = 2}", 1), ("a = { b = 1 } c", 1), ("a = {b}", 1), ("a = {=1}", 1), ("a = {,}", 1),
        ("a = {b = 1 # comment\n}", 1),
        // Strings
        ("a = \"abc", 1), ("a = 'abc", 1), ("a = \"abc\nb = 1", 1), ("a = 'abc\nb = 1", 1),
        ("x = 1\na = \"\"\"abc\n\n", 2), ("a = '''abc", 1), ("x = 1\n\ny = '''\nabc''", 3),
        ("a = \"\\q\"", 1), ("a = \"\\u12\"", 1), ("a = \"\\u12G4\"", 1), ("a = \"\\uD800\"", 1), ("a = \"\\uDFFF\"", 1),
        ("a = \"\\U0000D800\"", 1), ("a = \"\\U00110000\"", 1), ("a = \"\\UFFFFFFFF\"", 1), ("a = \"\\x41\"", 1),
        ("a = \"\\e\"", 1), ("a = \"\\ \"", 1), ("a = \"abc\\", 1), ("a = \"\"\"\n\\ x\"\"\"", 2),
        ("a = \"\"\"a\"\"\"\"\"\"", 1), ("a = '''a''''''", 1), ("a = 'x' # ok\nb = \"\"\"\nfoo\n\"\"\" extra", 4),
        ("a = \"\"\"\nfoo\\q\n\"\"\"", 2),
        // Numbers and booleans
        ("a = 01", 1), ("a = 00", 1), ("a = -01", 1), ("a = 1__2", 1), ("a = _1", 1), ("a = 1_", 1),
        ("a = +0x10", 1), ("a = -0b1", 1), ("a = 0x", 1), ("a = 0xG", 1), ("a = 0b102", 1), ("a = 0o8", 1),
        ("a = 0x_1", 1), ("a = 0X1F", 1), ("a = 1.", 1), ("a = .5", 1), ("a = +.5", 1), ("a = 1e", 1),
        ("a = 1.e5", 1), ("a = 03.14", 1), ("a = 1e_5", 1), ("a = 1_.0", 1), ("a = 1._0", 1), ("a = 1e5_", 1),
        ("a = 1e+", 1), ("a = 1.0.0", 1), ("a = 1e2e3", 1), ("a = inf1", 1), ("a = Inf", 1), ("a = NaN", 1),
        ("a = ++1", 1), ("a = +", 1), ("a = -", 1), ("a = TRUE", 1), ("a = truex", 1), ("a = True", 1),
        ("a = hello", 1), ("a = 12abc", 1), ("a = 1:2", 1),
        // Dates and times
        ("\n\nd = 2021-13-01", 3), ("d = 2021-00-10", 1), ("d = 2021-02-29", 1), ("d = 1900-02-29", 1),
        ("d = 2021-04-31", 1), ("d = 2021-01-00", 1), ("d = 2021-01-32", 1), ("d = 2021-1-01", 1),
        ("d = 2021-01-1", 1), ("d = 20211-01-01", 1), ("d = 2021-01-01T25:00:00", 1), ("d = 2021-01-01T24:00:00", 1),
        ("d = 2021-01-01T12:60:00", 1), ("d = 2021-01-01T12:00:61", 1), ("d = 2021-01-01T12:00", 1),
        ("d = 2021-01-01 12:00", 1), ("d = 2021-01-01T12:00:00+24:00", 1), ("d = 2021-01-01T12:00:00+01:60", 1),
        ("d = 2021-01-01T12:00:00+0100", 1), ("d = 2021-01-01T12:00:00+01", 1), ("d = 2021-01-01T12:00:00Zx", 1),
        ("d = 2021-01-01X12:00:00", 1), ("d = 2021-01-01T12:00:00.", 1), ("d = 2021-01-01T", 1),
        ("d = 2021-01-01T1:00:00", 1), ("t = 7:32:00", 1), ("t = 07:32", 1), ("t = 07:32:00Z", 1),
        ("t = 07:32:00+01:00", 1), ("t = 24:00:00", 1), ("t = 00:00:00.", 1), ("d = 1979-05-27_07:32:00", 1),
        // Control characters, NUL, line endings
        ("# comment \u{0}", 1), ("# \u{1}", 1), ("# \u{7F}", 1), ("a = 1 # \u{C}", 1), ("a = \"x\u{0}\"", 1),
        ("a = 'x\u{0}'", 1), ("a = \"\"\"x\u{0}\"\"\"", 1), ("a = '''\nx\u{1}'''", 2), ("a = \"\u{7F}\"", 1),
        ("a = \"\u{1B}\"", 1), ("a = 1\u{0}", 1), ("\u{0}", 1), ("a\u{0} = 1", 1), ("a = \u{0}", 1),
        ("[a\u{0}]", 1), ("a = 1\rb = 2", 1), ("a = 1 # x\rb = 2", 1), ("\r", 1), ("a = '''x\ry'''", 1),
        ("a = \"\"\"x\ry\"\"\"", 1), ("a = [1,\r2]", 1), ("x = 1\n\u{B}y = 2", 2), ("x = 1\n\u{C}", 2),
        ("a = [1, # \u{1}\n]", 1), ("a = \"\"\"\n\n\n\u{0}\"\"\"", 4),
    ])
    func malformedInputIsAnErrorOnItsLine(text: String, line: Int) throws {
        let error = syntaxError(text)
        #expect(error?.line == line, "\(error?.description ?? "no error")")
        #expect((error?.column ?? 0) >= 1)
        #expect(error?.message.isEmpty == false)
    }

    @Test func errorsHaveUsefulMessagesAndColumns() throws {
        var error = syntaxError("listen: 1")
        #expect(error?.message == "expected '=' after the key 'listen' but found ':'")
        #expect(error?.column == 7)
        error = syntaxError("[=]")
        #expect(error?.message == "expected a table name but found '='")
        #expect(error?.column == 2)
        error = syntaxError("a = 1 b = 2")
        #expect(error?.message == "expected a newline after the value of 'a' but found 'b'")
        #expect(error?.column == 7)
        // Columns count characters, not bytes.
        error = syntaxError("\"é\" = 'é' ü")
        #expect(error?.column == 11)
        #expect(error?.description == "line 1, column 11: expected a newline after the value of '\"é\"' but found 'ü'")
        error = syntaxError("[server]\nport = 1\nport = 2")
        #expect(error?.line == 3)
        #expect(error?.message == "the key 'server.port' is defined more than once (first defined on line 2)")
        // In an array of tables, the hint names the line in the same element.
        error = syntaxError("[[a]]\nx = 1\n[[a]]\nx = 1\nx = 2")
        #expect(error?.message == "the key 'a.x' is defined more than once (first defined on line 4)")
        error = syntaxError("a = \"\\uD800\"")
        #expect(error?.column == 6)
        error = syntaxError("n = 9223372036854775808")
        #expect(error?.column == 5)
        error = syntaxError("a = hello")
        #expect(error?.message == "invalid value 'hello'; strings must be in quotes")
        error = syntaxError("x = 1\ns = \"\"\"\nnever closed\n")
        #expect(error?.line == 2)
        #expect(error?.column == 5)
        error = syntaxError("a = [1,\n2,\n")
        #expect(error?.message == "the array opened on line 1 is missing its closing ']'")
        error = syntaxError("a = \"x\u{0}\"")
        #expect(error?.message == "a string cannot contain a NUL character; in a basic string, write it as \\u0000")
        error = syntaxError("# \u{7F}")
        #expect(error?.message == "a comment cannot contain the control character U+007F")
        error = syntaxError("a = .5")
        #expect(error?.message == "invalid number '.5'")
        error = syntaxError("[plugins.\"my plugin\"]\n[plugins.\"my plugin\"]")
        #expect(error?.message == "the table 'plugins.\"my plugin\"' is defined more than once")
    }

    // MARK: Nesting limit

    @Test func nestingIsCappedWithAnErrorNotACrash() throws {
        let depth = TOMLParser.maxDepth
        let ok = "a = " + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
        #expect(throws: Never.self) { try TOMLDocument.parse(ok) }
        for text in [
            "a = " + String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1),
            "a = " + String(repeating: "[", count: 100_000),
            "a = " + String(repeating: "{b=", count: 100_000),
            "a = " + String(repeating: "[{b=", count: 50_000),
            "[" + Array(repeating: "a", count: depth + 1).joined(separator: ".") + "]",
            Array(repeating: "a", count: depth + 1).joined(separator: ".") + " = 1",
            "[" + Array(repeating: "a", count: 100).joined(separator: ".") + "]\n"
                + Array(repeating: "b", count: 100).joined(separator: ".") + " = 1",
        ] {
            let error = syntaxError(text)
            #expect(error?.message.contains("nested more than") == true, "\(error?.description ?? "no error")")
        }
    }

    // MARK: Lines and table order

    private static let realisticConfig = """
        # Image App configuration
        [host]
        listen = "0.0.0.0:8080"
        worker_threads = 4
        max_upload_bytes = 10_485_760
        trusted_proxies = ["10.0.0.0/8", "192.168.0.0/16"]
        started = 2024-05-01T12:30:00Z
        maintenance = { enabled = false, message = "back soon", window.start = 01:00:00 }

        [plugins.example-c]
        enabled = true
        greeting = \"\"\"
        Hello, \\
          world!\"\"\"
        ratio = 0.75
        limits.per_minute = 60
        limits.burst = 1e3

        [plugins.example-c.storage]
        path = 'C:\\images'
        modes = [0o644, 0x1F, 0b101, -inf, nan]

        [plugins."example-swift"]
        name = "Swift é 😀\\t\\u00E9"
        tags = [
          "a",  # first
          'b',
          { id = 1, when = 1979-05-27 },
        ]
        notes = '''
        raw \\n text
        '''
        local_time = 07:32:00.5
        created = 1979-05-27 07:32:00-08:00

        [[plugins.example-swift.routes]]
        path = "/images/{id}"
        methods = ["GET", "HEAD"]

        [[plugins.example-swift.routes]]
        path = "/upload"
        [plugins.example-swift.routes.options]
        max = -1_000
        """

    @Test func realisticConfigParses() throws {
        let root = try parse(Self.realisticConfig)
        #expect(root["host"]?.value(atPath: "listen") == .string("0.0.0.0:8080"))
        #expect(root["host"]?.value(atPath: "maintenance.window.start") == .string("01:00:00"))
        #expect(root["plugins"]?.value(atPath: "example-c.greeting") == .string("Hello, world!"))
        #expect(root["plugins"]?.value(atPath: "example-c.limits.burst") == .double(1000))
        #expect(root["plugins"]?.value(atPath: "example-c.storage.path") == .string(#"C:\images"#))
        #expect(root["plugins"]?.value(atPath: "example-swift.name") == .string("Swift é 😀\té"))
        #expect(root["plugins"]?.value(atPath: "example-swift.notes") == .string("raw \\n text\n"))
        #expect(root["plugins"]?.value(atPath: "example-swift.created") == .string("1979-05-27 07:32:00-08:00"))
        guard case .array(let routes) = root["plugins"]?.value(atPath: "example-swift.routes") else {
            Issue.record("routes is not an array")
            return
        }
        #expect(routes.count == 2)
        #expect(routes.last?.value(atPath: "options.max") == .int(-1000))
    }

    @Test func linesOfKeysAndTables() throws {
        let document = try TOMLDocument.parse(Self.realisticConfig)
        let expected: [[String]: Int] = [
            ["host"]: 2,
            ["host", "listen"]: 3,
            ["host", "trusted_proxies"]: 6,
            ["host", "maintenance"]: 8,
            ["host", "maintenance", "message"]: 8,
            ["host", "maintenance", "window", "start"]: 8,
            ["plugins"]: 10,  // created implicitly by [plugins.example-c]
            ["plugins", "example-c"]: 10,
            ["plugins", "example-c", "greeting"]: 12,
            ["plugins", "example-c", "ratio"]: 15,
            ["plugins", "example-c", "limits"]: 16,
            ["plugins", "example-c", "limits", "burst"]: 17,
            ["plugins", "example-c", "storage"]: 19,
            ["plugins", "example-c", "storage", "modes"]: 21,
            ["plugins", "example-swift"]: 23,
            ["plugins", "example-swift", "tags"]: 25,
            ["plugins", "example-swift", "notes"]: 30,
            ["plugins", "example-swift", "local_time"]: 33,
            ["plugins", "example-swift", "created"]: 34,
            ["plugins", "example-swift", "routes"]: 36,
            ["plugins", "example-swift", "routes", "path"]: 37,
            ["plugins", "example-swift", "routes", "options"]: 42,
            ["plugins", "example-swift", "routes", "options", "max"]: 43,
        ]
        for (path, line) in expected {
            #expect(document.lines[path] == line, "\(path)")
        }
        // Keys inside arrays have no path.
        #expect(document.lines[["plugins", "example-swift", "tags", "id"]] == nil)
        #expect(
            document.tableOrder == [
                ["host"], ["plugins", "example-c"], ["plugins", "example-c", "storage"], ["plugins", "example-swift"],
                ["plugins", "example-swift", "routes"], ["plugins", "example-swift", "routes", "options"],
            ]
        )
    }

    @Test func explicitHeaderLineReplacesImplicitOne() throws {
        let document = try TOMLDocument.parse("[a.b]\nx = 1\n\n[a]\ny = 2\n[c]\n[a.d]")
        #expect(document.lines[["a"]] == 4)
        #expect(document.lines[["a", "b"]] == 1)
        #expect(document.lines[["a", "b", "x"]] == 2)
        #expect(document.lines[["a", "y"]] == 5)
        #expect(document.lines[["a", "d"]] == 7)
        #expect(document.tableOrder == [["a", "b"], ["a"], ["c"], ["a", "d"]])
        let crlf = try TOMLDocument.parse("a = 1\r\n\r\n[t]\r\nb = '''\r\n\r\n'''\r\nc = 2")
        #expect(crlf.lines[["t"]] == 3)
        #expect(crlf.lines[["t", "c"]] == 7)
    }

    // MARK: Fuzzing

    private static let alphabet: [Unicode.Scalar] =
        Array(
            "[]{}=.,\"'#\\\n\r\t \u{0}\u{1}\u{7F}abcetfxuUnoi0123456789+-_:TZeE".unicodeScalars
        ) + ["é", "😀"]

    /// Checks the outcome of one parse: values from the text or an error inside it.
    private func check(_ text: String, seed: Int) {
        let lineCount = text.utf8.count(where: { $0 == 0x0A }) + 1
        do {
            let document = try TOMLDocument.parse(text)
            #expect(document.lines.values.allSatisfy { (1...lineCount).contains($0) }, "seed \(seed)")
        } catch {
            #expect((1...lineCount).contains(error.line), "seed \(seed): \(error)")
            #expect(error.column >= 1, "seed \(seed): \(error)")
        }
    }

    @Test func mutatedConfigurationsNeverCrash() {
        var rng = SplitMix64(state: 0x70A1)
        let base = Array(Self.realisticConfig.unicodeScalars)
        var parsed = 0
        var failed = 0
        for iteration in 0..<20_000 {
            var scalars = base
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let position = Int.random(in: 0...scalars.count, using: &rng)
                let replacement = Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)]
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    scalars.insert(replacement, at: position)
                case 1 where position < scalars.count:
                    scalars.remove(at: position)
                default:
                    if position < scalars.count { scalars[position] = replacement }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            do {
                _ = try TOMLDocument.parse(text)
                parsed += 1
            } catch {
                failed += 1
                let lineCount = text.utf8.count(where: { $0 == 0x0A }) + 1
                if !(1...lineCount).contains(error.line) || error.column < 1 {
                    Issue.record("iteration \(iteration): bad position in \(error)")
                }
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the parser.
        #expect(parsed > 1000)
        #expect(failed > 1000)
    }

    @Test func randomTextNeverCrashes() {
        var rng = SplitMix64(state: 42)
        for seed in 0..<5000 {
            let length = Int.random(in: 0...40, using: &rng)
            var text = ""
            for _ in 0..<length {
                text.unicodeScalars.append(Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)])
            }
            check(text, seed: seed)
        }
    }
}
