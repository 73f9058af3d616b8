import CImageAppPlugin
import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The ABI 1.8 hygiene rules: refusals that name the plugin and the problem, checked request
/// handles, NULL out-pointers on failure, and behaviour kept per declared minor.
@Suite(.timeLimit(.minutes(12)))
struct ABIHygieneTests {
    // MARK: Refusals

    /// Each bad registration stops the plugin from loading, with a message naming the plugin,
    /// the struct and what is wrong with it.
    @Test(arguments: [
        ("route-flags", ["ia_route_def", "route GET /api/v1/test/hygiene/bad", "unknown flag bits 0x100000", "this host knows 0x3f"]),
        ("middleware-flags", ["ia_middleware_def", "middleware 'test-abi-hygiene.bad'", "unknown flag bits 0x100000"]),
        ("cli-flags", ["ia_cli_command_def", "command 'hygiene-bad'", "unknown flag bits 0x100000"]),
        ("command-flags", ["ia_command_def", "command 'test-abi-hygiene.bad'", "unknown flag bits 0x100000"]),
        ("event-flags", ["ia_event_handler_def", "event handler 'bad'", "unknown flag bits 0x100000"]),
        ("job-flags", ["ia_job_def", "job 'bad'", "unknown flag bits 0x100000"]),
        ("blob-flags", ["ia_blob_store_def", "blob store 'hygiene-bad'", "unknown flag bits 0x100000"]),
        ("small-route", ["ia_route_def with struct_size 8", "smaller than the \(MinimumSize.route) bytes"]),
        ("small-event", ["ia_event_handler_def with struct_size 16", "smaller than the \(MinimumSize.eventHandler) bytes"]),
    ])
    func badRegistrationIsRefusedWithAMessage(mode: String, expected: [String]) throws {
        let result = try HostProcess.run(["check-config"], config: Configs.with([("test-abi-hygiene", "mode = \"\(mode)\"")]))
        #expect(result.status != 0, "\(mode): exit status")
        #expect(result.stderr.contains("cannot load plugin 'test-abi-hygiene'"), "\(mode):\n\(result.stderr)")
        #expect(result.stderr.contains("plugin 'test-abi-hygiene' passed an"), "\(mode):\n\(result.stderr)")
        for fragment in expected {
            #expect(result.stderr.contains(fragment), "\(mode): stderr lacks '\(fragment)':\n\(result.stderr)")
        }
    }

    @Test func unknownDescriptorFlagsAreRefused() async throws {
        do {
            let host = try await HostProcess.start(
                config: Configs.with([("test-abi-hygiene", "")]),
                environment: ["TEST_ABI_HYGIENE_DESCRIPTOR_FLAGS": "1"]
            )
            await host.stop()
            Issue.record("a descriptor with unknown flag bits was loaded")
        } catch {
            let message = "\(error)"
            #expect(message.contains("cannot load plugin 'test-abi-hygiene'"), "\(message)")
            #expect(message.contains("ia_plugin_descriptor has unknown flag bits 0x80"), "\(message)")
        }
    }

    // MARK: Loading and running

    @Test func grownStructsLoadAndMetricsRegisterOnlyInInit() async throws {
        let host = try await HostProcess.start(config: Configs.with([("test-abi-hygiene", "")]))
        defer { Task { await host.stop() } }
        let grown = try await host.get("/api/v1/test/hygiene/grown")
        #expect(grown.status == 200)
        #expect(grown.json["grown"] as? Bool == true)
        let state = try await host.get("/api/v1/test/hygiene/state").json
        #expect(state["metric_in_init"] as? Bool == true)
        #expect(state["metric_in_start_null"] as? Bool == true)
        #expect(host.stderr.contains("called metric_register outside init"))
        let metrics = try await host.get("/metrics")
        #expect(metrics.text.contains("test_abi_hygiene_total"))
        #expect(!metrics.text.contains("test_abi_hygiene_late_total"))
    }

    /// A handle used after the plugin completed the request, or after the host answered it
    /// (timeout), answers IA_ERR_STATE and is logged; the host keeps serving.
    @Test func requestHandleUsedAfterCompletionAnswersStateAndTheHostStaysUp() async throws {
        let host = try await HostProcess.start(
            config: Configs.with([("test-abi-hygiene", "")], host: "request_timeout_seconds = 1")
        )
        defer { Task { await host.stop() } }
        let twice = try await host.get("/api/v1/test/hygiene/complete-twice")
        #expect(twice.status == 200)
        #expect(twice.json["done"] as? Bool == true)
        let hang = try await host.get("/api/v1/test/hygiene/hang")
        #expect(hang.status == 504)

        let late = try await host.get("/api/v1/test/hygiene/late")
        #expect(late.status == 200)
        let state = Int(IA_ERR_STATE)
        #expect(late.json["hung_complete"] as? Int == state)
        #expect(late.json["hung_body"] as? Int == state)
        #expect(late.json["hung_path"] as? Int == state)
        #expect(late.json["completed_status"] as? Int == state)
        #expect(late.json["completed_path"] as? Int == state)
        let first = late.json["twice"] as? [String: Any] ?? [:]
        #expect(first["first"] as? Int == Int(IA_OK))
        #expect(first["second"] as? Int == state)
        #expect(first["set_status"] as? Int == state)
        #expect(first["path"] as? Int == state)
        #expect(first["header_count"] as? Int == 0)
        #expect(first["can_block"] as? Int == 0)
        #expect(host.stderr.contains("used a request handle after the request completed"))

        // Still serving, and the stale calls did not touch the request that now holds the slot.
        for _ in 0..<20 {
            let again = try await host.get("/api/v1/test/hygiene/grown")
            #expect(again.status == 200)
            #expect(again.json["grown"] as? Bool == true)
        }

        // Handles opened, completed twice and reused from many threads at once.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<60 {
                let path = index % 2 == 0 ? "/api/v1/test/hygiene/complete-twice" : "/api/v1/test/hygiene/grown"
                group.addTask { try await host.get(path).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 60)
        #expect(statuses.allSatisfy { $0 == 200 })
        let afterwards = try await host.get("/api/v1/test/hygiene/late")
        #expect((afterwards.json["twice"] as? [String: Any])?["second"] as? Int == state)
    }

    @Test func outPointersAreNullAfterEveryFailure() async throws {
        let host = try await HostProcess.start(config: Configs.with([("test-abi-hygiene", "")]))
        defer { Task { await host.stop() } }
        let response = try await host.get("/api/v1/test/hygiene/out-null")
        #expect(response.status == 200)
        let slots = ["dispatch_command", "blob_get", "blob_url", "blob_put", "cache_get", "cache_peek", "redis_command", "redis_pipeline"]
        for slot in slots {
            let entry = response.json[slot] as? [String: Any] ?? [:]
            #expect((entry["status"] as? Int ?? 0) < 0, "\(slot) should fail: \(entry)")
            #expect(entry["null"] as? Bool == true, "\(slot) left its out-pointer set: \(entry)")
        }
    }

    /// A Redis error reply is IA_ERR_REDIS_REPLY for a plugin declaring 1.8, IA_OK for one built
    /// against the 1.7 header; both get the reply.
    @Test func redisErrorReplyStatusFollowsTheDeclaredMinor() async throws {
        let namespace = "test-abi-hygiene-\(UUID().uuidString.prefix(8).lowercased())"
        let host = try await HostProcess.start(
            config: Configs.with(
                [("test-abi-hygiene", ""), ("test-abi-v1-7", "")],
                host: "redis_url = \"\(EventTests.redisURL)\"\nredis_namespace = \"\(namespace)\""
            )
        )
        defer { Task { await host.stop() } }
        let current = try await host.get("/api/v1/test/hygiene/redis-error").json
        #expect(current["status"] as? Int == Int(IA_ERR_REDIS_REPLY))
        #expect(current["type"] as? Int == Int(IA_REDIS_ERROR))
        #expect(current["text"] as? Bool == true)
        #expect(current["pipeline"] as? Int == Int(IA_ERR_REDIS_REPLY))
        #expect(current["pipeline_types"] as? [Int] == [Int(IA_REDIS_STATUS), Int(IA_REDIS_ERROR)])

        let old = try await host.get("/api/v1/test/abi17/info").json
        #expect(old["redis_status"] as? Int == Int(IA_OK))
        #expect(old["redis_type"] as? Int == Int(IA_REDIS_ERROR))
    }

    // MARK: Compatibility

    @Test func pluginBuiltAgainstTheFrozenV1_7HeaderWorks() async throws {
        let host = try await HostProcess.start(config: Configs.with([("test-abi-v1-7", "")]))
        defer { Task { await host.stop() } }
        let info = try await host.get("/api/v1/test/abi17/info")
        #expect(info.status == 200)
        #expect(info.headers["x-abi"] == "1.7")
        #expect(info.json["has_cache_peek"] as? Bool == true)
        #expect(info.json["can_block"] as? Int == 1)
        #expect(info.json["redis_status"] as? Int == Int(IA_ERR_UNAVAILABLE))  // no Redis configured

        // Non-blocking route: IA_WOULD_BLOCK on the event loop, answered on a worker.
        let fast = try await host.get("/api/v1/test/abi17/fast")
        #expect(fast.status == 200)
        #expect(fast.json["can_block"] as? Int == 1)
        #expect(fast.json["peek"] as? Int == Int(IA_ERR_NOT_FOUND))

        let document = try await host.get("/api/v1/openapi.json").json
        let paths = document["paths"] as? [String: Any]
        let form = (paths?["/api/v1/test/abi17/form"] as? [String: Any])?["post"] as? [String: Any]
        let content = (form?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        #expect(content?["application/x-www-form-urlencoded"] != nil)
    }

    // MARK: Units

    /// The smallest sizes the host accepts are the structs' first sizes, pinned on LP64 (the
    /// same figures as the >= pins in abi_layout.c): appending fields must not move them.
    @Test func minimumSizesAreTheFirstSizes() {
        #expect(MinimumSize.descriptor == 112)
        #expect(MinimumSize.route == 152)
        #expect(MinimumSize.middleware == 48)
        #expect(MinimumSize.cliCommand == 72)
        #expect(MinimumSize.metric == 80)
        #expect(MinimumSize.principal == 48)
        #expect(MinimumSize.migration == 48)
        #expect(MinimumSize.command == 40)
        #expect(MinimumSize.eventHandler == 64)
        #expect(MinimumSize.job == 48)
        #expect(MinimumSize.blobStore == 64)
        // struct_size is C sizeof: stride, tail padding included.
        #expect(SizedStruct.size(of: ia_route_def.self) == UInt32(MemoryLayout<ia_route_def>.stride))
    }

    @Test func toolchainReleasesAreParsedNotListed() {
        #expect(Toolchain.release(of: "swift-6.3.1") == .init(major: 6, minor: 3))
        #expect(Toolchain.release(of: "swift-7.12") == .init(major: 7, minor: 12))
        #expect(Toolchain.release(of: "swift-10.0.2-RELEASE") == .init(major: 10, minor: 0))
        #expect(Toolchain.release(of: "swift-6.6-or-later") == .init(major: 6, minor: 6))
        #expect(Toolchain.release(of: "swift-6") == nil)
        #expect(Toolchain.release(of: "clang-17.0") == nil)
        #expect(Toolchain.release(of: "swift-x.y") == nil)

        let own = Toolchain.release
        #expect(own.major >= 6)
        #expect(Toolchain.current == "swift-\(own.major).\(own.minor)")
        #expect(Toolchain.isCompatible("swift-\(own.major).\(own.minor).99"))
        #expect(!Toolchain.isCompatible("swift-\(own.major).\(own.minor + 1).0"))
        #expect(!Toolchain.isCompatible("swift-\(own.major + 1).\(own.minor)"))
        #expect(!Toolchain.isCompatible("nonsense"))
    }
}
