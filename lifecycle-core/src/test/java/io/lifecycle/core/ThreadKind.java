package io.lifecycle.core;

import java.util.concurrent.ThreadFactory;

/** The two kinds of threads every concurrent test runs on. */
enum ThreadKind {
  PLATFORM {
    @Override
    ThreadFactory factory() {
      return Thread.ofPlatform().name("test-platform-", 0).factory();
    }
  },
  VIRTUAL {
    @Override
    ThreadFactory factory() {
      return Thread.ofVirtual().name("test-virtual-", 0).factory();
    }
  };

  abstract ThreadFactory factory();

  /** Starts {@code task} on a new thread of this kind. */
  Thread start(Runnable task) {
    Thread t = factory().newThread(task);
    t.start();
    return t;
  }
}
