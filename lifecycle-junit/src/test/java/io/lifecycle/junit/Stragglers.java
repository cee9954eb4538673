package io.lifecycle.junit;

import java.util.concurrent.TimeUnit;

/** Threads that end shortly after the test: exactly when the check has begun to wait for them. */
final class Stragglers {
  private Stragglers() {}

  /**
   * Returns a body for a thread started by a test: it ends once the thread running the test (and
   * then its check) waits for it in the check's linger, joining it or sleeping between two thread
   * dumps. So the thread is alive when the check looks, and only the linger can let it pass; it
   * never relies on timing. Gives up after 10 s.
   */
  static Runnable endingInTheLinger() {
    Thread checking = Thread.currentThread();
    return () -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      try {
        while (!lingering(checking) && System.nanoTime() - deadline < 0) {
          Thread.sleep(1);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  private static boolean lingering(Thread t) {
    StackTraceElement[] stack = t.getStackTrace();
    for (int i = 1; i < stack.length; i++) {
      StackTraceElement e = stack[i];
      if (e.getClassName().equals(Probe.class.getName())
          && e.getMethodName().equals("lingeringThreads")) {
        StackTraceElement callee = stack[i - 1];
        return callee.getClassName().equals(Thread.class.getName())
            && (callee.getMethodName().equals("join") || callee.getMethodName().equals("sleep"));
      }
    }
    return false;
  }
}
