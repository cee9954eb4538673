package io.lifecycle.examples;

import java.util.concurrent.Future;

/** An agent worker: runs each call as a job on its own pool of platform threads. */
interface Worker extends AutoCloseable {
  /**
   * Starts a job for {@code call}.
   *
   * @return the job, done when the caller has left and the job has returned
   */
  Future<?> submit(Call call);

  /** Returns how many participants the worker's cache holds. */
  int cachedParticipants();

  /** Stops the worker: its pool's threads end. */
  @Override
  void close();
}
