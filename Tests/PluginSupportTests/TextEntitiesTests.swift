import PluginSupport
import Testing

/// Hashtags and mentions as people read them: any script, not inside URLs, addresses or words.
struct TextEntitiesTests {
    @Test(arguments: [
        ("#café au lait", ["café"]),
        ("#日本 #東京タワー", ["日本", "東京タワー"]),
        ("#a_b and #A_B again", ["a_b"]),
        ("Café is #Cafe\u{301} or #CAFÉ", ["café"]),
        ("#tag, #tag! (#paren) #end.", ["tag", "paren", "end"]),
        ("#123 is a number, #1st is not", ["1st"]),
        ("#🍕 is no tag but #pizza🍕 is", ["pizza"]),
        ("see https://example.com/#top and www.example.org/#x", []),
        ("x#y and a#b are words, &#38; an entity", []),
        ("##double #", ["double"]),
        ("＃fullwidth", ["fullwidth"]),
        ("#Straße #İstanbul", ["straße", "i\u{307}stanbul"]),
        ("line\n#next\ttab#no", ["next"]),
        ("#\u{200B}zero", []),
    ])
    func hashtags(_ text: String, _ expected: [String]) {
        #expect(TextEntities.hashtags(in: text) == expected)
    }

    @Test func hashtagsHaveABoundedLength() {
        let long = String(repeating: "a", count: TextEntities.maxHashtagScalars)
        #expect(TextEntities.hashtags(in: "#\(long)") == [long])
        #expect(TextEntities.hashtags(in: "#\(long)b").isEmpty)
    }

    @Test(arguments: [
        ("hi @Ann and @bob_99!", ["ann", "bob_99"]),
        ("@ann @ANN @Ann", ["ann"]),
        ("mail ann@example.com or @ann@other.social", []),
        ("@ab is short, @\(String(repeating: "x", count: 31)) is long", []),
        ("(@paren), @end.", ["paren", "end"]),
        ("https://example.com/@ann", []),
        ("@café stops at é: @caf", ["caf"]),
        ("@日本", []),
    ])
    func mentions(_ text: String, _ expected: [String]) {
        #expect(TextEntities.mentions(in: text) == expected)
    }
}

extension TextEntitiesTests {
    @Test func aWholeTextIsOneHashtagOrNone() {
        #expect(TextEntities.hashtag("Café") == "café")
        #expect(TextEntities.hashtag("Cafe\u{301}") == "café")
        #expect(TextEntities.hashtag("日本") == "日本")
        #expect(TextEntities.hashtag("a b") == nil)
        #expect(TextEntities.hashtag("123") == nil)
        #expect(TextEntities.hashtag("") == nil)
        #expect(TextEntities.hashtag("x/../y") == nil)
    }
}
