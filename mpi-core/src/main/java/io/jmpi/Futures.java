package io.jmpi;

import io.jmpi.base.MpiException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link CompletableFuture} views of requests ({@link Request#toFuture()}), with one daemon thread for the whole JVM,
 * never one per future.
 *
 * <p>Why a thread at all: an engine operation tells us it completed through a hook that runs on the completing
 * thread under the engine's lock; completing the future there would run the program's dependent stages
 * ({@code thenApply}...) under that lock, where calling jmpi re-enters the engine. So the hook only hands the
 * completion to this thread, which completes the future outside any lock.
 *
 * <p>Why it also polls: a hook fires only when some thread drives progress, and a rank may have none (ranks that are
 * threads of one JVM run no background agent; collective schedules advance only when tested). So while any future is
 * pending this thread also tests its request ({@code test()} drives progress once, never blocks), with a backoff of
 * 50 us to 1 ms; with none pending it sleeps on its queue. The hook still completes a future at once when another
 * thread's progress completes the operation.
 */
final class Futures {
    private static final LinkedBlockingQueue<Runnable> TASKS = new LinkedBlockingQueue<>();
    private static final Object START = new Object();
    private static volatile boolean started;

    private Futures() {
    }

    /** A future completed (by the futures thread) once the engine hook of {@code r} fires. */
    static CompletableFuture<Status> hooked(EngineRequest r) {
        CompletableFuture<Status> f = new CompletableFuture<>();
        Runnable settle = () -> settle(r, f);
        r.completion().whenDone(() -> submit(settle));
        submit(() -> Poller.INSTANCE.watch(r, f));
        return f;
    }

    /** A future for any request, completed by the futures thread polling it. */
    static CompletableFuture<Status> polled(Request r) {
        CompletableFuture<Status> f = new CompletableFuture<>();
        submit(() -> Poller.INSTANCE.watch(r, f));
        return f;
    }

    private static void settle(Request r, CompletableFuture<Status> f) {
        try {
            f.complete(r.await());
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }

    private static void submit(Runnable task) {
        if (!started) startThread();
        TASKS.add(task);
    }

    private static void startThread() {
        synchronized (START) {
            if (started) return;
            Thread t = new Thread(Poller.INSTANCE::run, "jmpi-futures");
            t.setDaemon(true);
            t.start();
            started = true;
        }
    }

    /** State owned by the futures thread only. */
    private static final class Poller {
        static final Poller INSTANCE = new Poller();
        private final List<Request> requests = new ArrayList<>();
        private final List<CompletableFuture<Status>> futures = new ArrayList<>();

        void watch(Request r, CompletableFuture<Status> f) {
            requests.add(r);
            futures.add(f);
        }

        void run() {
            long park = 50;
            while (true) {
                try {
                    Runnable task = requests.isEmpty() ? TASKS.take() : TASKS.poll(park, TimeUnit.MICROSECONDS);
                    while (task != null) {
                        task.run();
                        task = TASKS.poll();
                    }
                    park = pollAll() ? 50 : Math.min(park * 2, 1000);
                } catch (InterruptedException e) {
                    // a daemon that serves the whole JVM: interruption is not a reason to stop
                } catch (RuntimeException e) {
                    io.jmpi.base.Log.warn(-1, "jmpi-futures: " + e);
                }
            }
        }

        /** Tests every watched request once; true if any completed. */
        private boolean pollAll() {
            boolean any = false;
            for (int i = requests.size() - 1; i >= 0; i--) {
                Request r = requests.get(i);
                CompletableFuture<Status> f = futures.get(i);
                if (f.isDone()) { // completed through its hook
                    requests.remove(i);
                    futures.remove(i);
                    continue;
                }
                try {
                    Status s = r.test();
                    if (s == null) continue;
                    f.complete(s);
                } catch (MpiException e) {
                    f.completeExceptionally(e);
                }
                requests.remove(i);
                futures.remove(i);
                any = true;
            }
            return any;
        }
    }
}
