import AuthContract
import ImageAppPlugin
import LikesContract
import MediaContract
import Testing

/// Event payloads that a hot path writes by hand must be exactly what the SDK's encoder writes: other plugins decode
/// them with the contract's types.
@Suite struct ContractPayloadTests {
    @Test func aLikeEventWrittenByHandIsWhatTheEncoderWrites() throws {
        var values: [Int64] = [1, 9, 10, 1_234_567_890_123, Int64.max]
        for _ in 0..<200 { values.append(Int64.random(in: 1...Int64.max)) }
        for _ in 0..<300 {
            let event = LikeEvent(
                postId: PostID(values.randomElement()!),
                postAuthorId: UserID(values.randomElement()!),
                userId: UserID(values.randomElement()!)
            )
            let encoded = String(decoding: try Response.json(event).body, as: UTF8.self)
            #expect(event.json == encoded)
        }
    }
}
