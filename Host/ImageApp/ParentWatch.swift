import Foundation

/// With `IMAGEAPP_EXIT_WITH_PARENT=1` (the test harness sets it), the server shuts down gracefully when the process
/// that started it dies: a test run that crashes would otherwise leave its servers running, polling PostgreSQL and
/// Redis and skewing whatever runs next on the machine. Linux's `PR_SET_PDEATHSIG` would do it without a thread, but
/// `prctl` is variadic and Swift cannot call it; a reparented process's `getppid()` changes, which a one-second check
/// sees.
enum ParentWatch {
    static func startIfAsked() {
        guard ProcessInfo.processInfo.environment["IMAGEAPP_EXIT_WITH_PARENT"] == "1" else { return }
        let parent = getppid()
        let thread = Thread {
            while getppid() == parent { sleep(1) }
            kill(getpid(), SIGTERM)
        }
        thread.name = "image-app parent watch"
        thread.start()
    }
}
