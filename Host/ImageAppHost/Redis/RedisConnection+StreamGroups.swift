extension RedisConnection {
    /// The consumer groups of `stream` as `XINFO GROUPS` describes them, one field → value map per group (`name`,
    /// `pending`, `lag`, ...); none when the stream does not exist.
    func streamGroups(_ stream: String) throws -> [[String: RedisReply]] {
        do {
            return Self.groups(of: try command("XINFO", "GROUPS", stream))
        } catch  where error.serverErrorPrefix == "ERR" {
            return []
        }
    }

    private static func groups(of reply: RedisReply) -> [[String: RedisReply]] {
        (reply.array ?? []).map { group in
            // A flat list of field, value pairs per group.
            let items = group.array ?? []
            var fields: [String: RedisReply] = [:]
            var index = 0
            while index + 1 < items.count {
                if let key = items[index].stringValue { fields[key] = items[index + 1] }
                index += 2
            }
            return fields
        }
    }
}
