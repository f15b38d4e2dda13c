package dev.beex.model.parallel;

import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The worker pools of training and evaluation: daemon threads, all tasks joined, a task's failure rethrown as is. */
public final class Tasks {
    private Tasks() {
    }

    /** A fixed pool of daemon threads named {@code name} (they never keep the JVM alive). */
    public static ExecutorService daemonPool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code tasks} on {@code pool} and waits for all of them. A task's unchecked exception or
     * error is rethrown unwrapped; interruption fails with "{@code what} interrupted".
     */
    public static <T> void runAll(ExecutorService pool, Collection<? extends Callable<T>> tasks, String what) {
        try {
            for (Future<T> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
