package io.tenantml.dataset.internal;

/** Waiting for the ingestion's own threads, which must have ended before their files are used or deleted. */
final class Threads {

    private Threads() {}

    /**
     * Joins {@code thread} even when interrupted, running {@code onInterrupt} at each interrupt (to make the
     * thread finish sooner), and restores the interrupt status afterwards.
     *
     * @return whether the caller was interrupted meanwhile
     */
    static boolean joinUninterruptibly(Thread thread, Runnable onInterrupt) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                onInterrupt.run();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }
}
