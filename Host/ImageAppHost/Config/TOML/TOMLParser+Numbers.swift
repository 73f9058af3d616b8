/// Unquoted scalars: booleans, integers, floats and RFC 3339 dates and times.
///
/// The token is read first (letters, digits, `_ + - . :`) and then classified, so `truex`,
/// `1x` or `hello` are reported whole instead of as a valid prefix followed by junk.
extension TOMLParser {
    /// A boolean, number, date or time at `pos`.
    mutating func parseScalar() throws(TOMLSyntaxError) -> ConfigValue {
        let start = mark
        let first = pos
        while let byte = peek(), Self.isScalarByte(byte) { pos += 1 }
        // A local date, a space and a digit: a date-time written with a space separator.
        if pos - first == 10, Self.isDatePrefix(bytes[first..<pos]), peek() == ASCII.space,
            let next = peek(1), Self.isDigit(next)
        {
            pos += 1
            while let byte = peek(), Self.isScalarByte(byte) { pos += 1 }
        }
        let token = bytes[first..<pos]
        // Built on demand: only dates (kept as text) and error messages need it.
        var text: String { String(decoding: token, as: UTF8.self) }

        if token.elementsEqual("true".utf8) { return .bool(true) }
        if token.elementsEqual("false".utf8) { return .bool(false) }
        if let special = Self.specialFloat(token) { return .double(special) }
        if Self.isDatePrefix(token) {
            if let problem = Self.dateTimeProblem(token) {
                throw failure("invalid date-time '\(text)': \(problem)", at: start)
            }
            return .string(text)
        }
        if Self.isTimePrefix(token) {
            if let problem = Self.localTimeProblem(token) {
                throw failure("invalid time '\(text)': \(problem)", at: start)
            }
            return .string(text)
        }
        // Starts with a letter or '_' (digits and `+ - . :` sort below 'A'): a word, not a number.
        if let firstByte = token.first, firstByte >= 0x41 {
            throw failure("invalid value '\(text)'; strings must be in quotes", at: start)
        }
        return try parseNumber(token, at: start)
    }

    // MARK: Numbers

    /// An integer (decimal, or `0x`/`0o`/`0b` without sign) or a float.
    private func parseNumber(_ token: ArraySlice<UInt8>, at start: Mark) throws(TOMLSyntaxError) -> ConfigValue {
        var text: String { String(decoding: token, as: UTF8.self) }
        var index = token.startIndex
        var negative = false
        if let sign = token.first, sign == ASCII.plus || sign == ASCII.minus {
            negative = sign == ASCII.minus
            index += 1
        }
        let hasSign = index != token.startIndex

        // 0x / 0o / 0b
        if index + 1 < token.endIndex, token[index] == ASCII.zero {
            let radix: Int64? =
                switch token[index + 1] {
                case UInt8(ascii: "x"): 16
                case UInt8(ascii: "o"): 8
                case UInt8(ascii: "b"): 2
                default: nil
                }
            if let radix {
                guard !hasSign else {
                    throw failure("invalid integer '\(text)': hexadecimal, octal and binary integers cannot have a sign", at: start)
                }
                return .int(try parseInteger(token, from: index + 2, radix: radix, negative: false, at: start))
            }
        }

        let isFloat = token.contains(ASCII.dot) || token.contains(UInt8(ascii: "e")) || token.contains(UInt8(ascii: "E"))
        guard let intEnd = Self.digitRunEnd(token, from: index, radix: 10) else {
            throw failure("invalid number '\(text)'\(Self.underscoreHint(token))", at: start)
        }
        if token[index] == ASCII.zero && intEnd - index > 1 {
            throw failure("invalid number '\(text)': leading zeros are not allowed", at: start)
        }
        if !isFloat {
            guard intEnd == token.endIndex else {
                throw failure("invalid number '\(text)'\(Self.underscoreHint(token))", at: start)
            }
            return .int(try parseInteger(token, from: index, radix: 10, negative: negative, at: start))
        }

        // Float: integer part, then a fraction, an exponent, or both.
        var cursor = intEnd
        if cursor < token.endIndex, token[cursor] == ASCII.dot {
            guard let fractionEnd = Self.digitRunEnd(token, from: cursor + 1, radix: 10) else {
                throw failure("invalid number '\(text)': a decimal point must have digits on both sides", at: start)
            }
            cursor = fractionEnd
        }
        if cursor < token.endIndex, token[cursor] == UInt8(ascii: "e") || token[cursor] == UInt8(ascii: "E") {
            var exponent = cursor + 1
            if exponent < token.endIndex, token[exponent] == ASCII.plus || token[exponent] == ASCII.minus {
                exponent += 1
            }
            guard let exponentEnd = Self.digitRunEnd(token, from: exponent, radix: 10) else {
                throw failure("invalid number '\(text)': the exponent needs digits", at: start)
            }
            cursor = exponentEnd
        }
        guard cursor == token.endIndex else {
            throw failure("invalid number '\(text)'\(Self.underscoreHint(token))", at: start)
        }
        let digits = String(decoding: token.lazy.filter { $0 != ASCII.underscore }, as: UTF8.self)
        guard let value = Double(digits) else { throw failure("invalid number '\(text)'", at: start) }
        return .double(value)
    }

    /// The digits of an integer from `index` to the end, checked and accumulated without overflow.
    private func parseInteger(
        _ token: ArraySlice<UInt8>,
        from index: Int,
        radix: Int64,
        negative: Bool,
        at start: Mark
    ) throws(TOMLSyntaxError) -> Int64 {
        var text: String { String(decoding: token, as: UTF8.self) }
        guard let end = Self.digitRunEnd(token, from: index, radix: radix), end == token.endIndex else {
            throw failure("invalid integer '\(text)'\(Self.underscoreHint(token))", at: start)
        }
        var value: Int64 = 0
        for byte in token[index...] where byte != ASCII.underscore {
            guard let digit = Self.hexValue(byte) else { continue }
            // Accumulate negatively for negative numbers so Int64.min is reachable.
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(Int64(digit))
                : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else {
                throw failure(
                    "the integer '\(text)' does not fit in 64 bits (\(Int64.min) to \(Int64.max))",
                    at: start
                )
            }
            value = next
        }
        return value
    }

    /// The end of `digit *( [_] digit )` starting at `index`, or nil when there is no digit there
    /// or an underscore is not between two digits.
    static func digitRunEnd(_ token: ArraySlice<UInt8>, from index: Int, radix: Int64) -> Int? {
        func isDigit(_ byte: UInt8) -> Bool {
            guard let value = hexValue(byte) else { return false }
            return Int64(value) < radix
        }
        guard index >= token.startIndex, index < token.endIndex, isDigit(token[index]) else { return nil }
        var cursor = index + 1
        while cursor < token.endIndex {
            if isDigit(token[cursor]) {
                cursor += 1
            } else if token[cursor] == ASCII.underscore {
                guard cursor + 1 < token.endIndex, isDigit(token[cursor + 1]) else { return nil }
                cursor += 2
            } else {
                break
            }
        }
        return cursor
    }

    private static func underscoreHint(_ token: ArraySlice<UInt8>) -> String {
        token.contains(ASCII.underscore) ? ": underscores must be between digits" : ""
    }

    /// `inf`, `nan`, with an optional sign.
    private static func specialFloat(_ token: ArraySlice<UInt8>) -> Double? {
        var body = token
        var negative = false
        if let sign = body.first, sign == ASCII.plus || sign == ASCII.minus {
            negative = sign == ASCII.minus
            body = body.dropFirst()
        }
        if body.elementsEqual("inf".utf8) { return negative ? -.infinity : .infinity }
        if body.elementsEqual("nan".utf8) { return negative ? -.nan : .nan }
        return nil
    }

    // MARK: Dates and times

    static func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }

    /// Starts like a date: four digits and a dash.
    static func isDatePrefix(_ token: ArraySlice<UInt8>) -> Bool {
        token.count >= 5 && token.prefix(4).allSatisfy(isDigit) && token[token.startIndex + 4] == ASCII.minus
    }

    /// Starts like a time: two digits and a colon.
    private static func isTimePrefix(_ token: ArraySlice<UInt8>) -> Bool {
        token.count >= 3 && token.prefix(2).allSatisfy(isDigit) && token[token.startIndex + 2] == ASCII.colon
    }

    /// Why a local date, local date-time or offset date-time is invalid, or nil.
    private static func dateTimeProblem(_ token: ArraySlice<UInt8>) -> String? {
        let s = token.startIndex
        guard token.count >= 10, token[s + 7] == ASCII.minus,
            let year = number(token, s, 4), let month = number(token, s + 5, 2), let day = number(token, s + 8, 2)
        else { return "expected a date as YYYY-MM-DD" }
        guard (1...12).contains(month) else { return "the month must be between 01 and 12" }
        guard (1...daysIn(month: month, year: year)).contains(day) else {
            return "the day must be between 01 and \(daysIn(month: month, year: year)) in that month"
        }
        if token.count == 10 { return nil }
        let separator = token[s + 10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == ASCII.space else {
            return "expected 'T' or a space between the date and the time"
        }
        var cursor = s + 11
        if let problem = timeProblem(token, &cursor) { return problem }
        guard cursor < token.endIndex else { return nil }  // local date-time
        let offset = token[cursor]
        if offset == UInt8(ascii: "Z") || offset == UInt8(ascii: "z") {
            return cursor + 1 == token.endIndex ? nil : "unexpected characters after the time zone"
        }
        guard offset == ASCII.plus || offset == ASCII.minus else { return "expected a time zone like Z or +01:00" }
        guard token.endIndex - cursor == 6, token[cursor + 3] == ASCII.colon,
            let hours = number(token, cursor + 1, 2), let minutes = number(token, cursor + 4, 2)
        else { return "expected a time zone offset like +01:00" }
        guard hours <= 23, minutes <= 59 else { return "the time zone offset is out of range" }
        return nil
    }

    /// Why a local time (`HH:MM:SS[.fraction]`) is invalid, or nil.
    private static func localTimeProblem(_ token: ArraySlice<UInt8>) -> String? {
        var cursor = token.startIndex
        if let problem = timeProblem(token, &cursor) { return problem }
        return cursor == token.endIndex ? nil : "unexpected characters after the time"
    }

    /// Checks `HH:MM:SS[.fraction]` at `cursor` and moves past it.
    private static func timeProblem(_ token: ArraySlice<UInt8>, _ cursor: inout Int) -> String? {
        let s = cursor
        guard token.endIndex - s >= 8, token[s + 2] == ASCII.colon, token[s + 5] == ASCII.colon,
            let hour = number(token, s, 2), let minute = number(token, s + 3, 2), let second = number(token, s + 6, 2)
        else { return "expected a time as HH:MM:SS" }
        guard hour <= 23 else { return "the hour must be between 00 and 23" }
        guard minute <= 59 else { return "the minute must be between 00 and 59" }
        guard second <= 60 else { return "the second must be between 00 and 60" }  // 60: leap second
        cursor = s + 8
        if cursor < token.endIndex, token[cursor] == ASCII.dot {
            cursor += 1
            let digitsStart = cursor
            while cursor < token.endIndex, isDigit(token[cursor]) { cursor += 1 }
            if cursor == digitsStart { return "expected digits after the decimal point of the seconds" }
        }
        return nil
    }

    /// The decimal value of `count` digits at `index`, or nil if any is not a digit.
    private static func number(_ token: ArraySlice<UInt8>, _ index: Int, _ count: Int) -> Int? {
        guard index >= token.startIndex, index + count <= token.endIndex else { return nil }
        var value = 0
        for byte in token[index..<(index + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - ASCII.zero)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
