package io.lifecycle.examples;

import io.lifecycle.core.Scope;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The same agent worker on lifecycle. The worker's scope lives as long as the worker and owns its
 * thread pool; each call runs in a child scope, the job, which owns everything the job opens. When
 * the job returns, or fails, closing its scope cancels the job's tasks and releases the rest in
 * reverse order: the cache entry, the callback, the stream, the connection.
 */
final class OwnedWorker implements Worker {
  /** The longest call the worker takes: the wait for the caller to leave is bounded. */
  static final Duration CALL_LIMIT = Duration.ofSeconds(20);

  // A scope that outlives any block: opened by the builder, closed by close().
  private final Scope worker = Scope.builder("worker").closeTimeout(Duration.ofSeconds(5)).open();
  private final Map<String, ParticipantState> participants = new ConcurrentHashMap<>();
  private final Room room;
  private final ExecutorService executor;

  OwnedWorker(Room room, int threads) {
    this.room = room;
    this.executor =
        worker.own(
            Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("worker-", 1).factory()));
  }

  @Override
  public Future<?> submit(Call call) {
    return executor.submit(
        () -> {
          runJob(call);
          return null;
        });
  }

  private void runJob(Call call) throws InterruptedException, TimeoutException {
    try (Scope job = worker.child("job")) {
      Participant agent = job.own(room.connect("agent-" + call.id()));
      agent.publishAudio("voice");
      AudioStream stream = job.own(new AudioStream(room.subscribe(call.caller())));
      ParticipantState state = new ParticipantState(call.caller());

      CountDownLatch left = new CountDownLatch(1);
      room.listeners()
          .add(
              job,
              identity -> {
                if (identity.equals(call.caller())) {
                  left.countDown();
                }
              });

      // Tasks run on virtual threads and are cancelled when the job closes.
      job.fork(() -> Pipeline.listen(stream, state));
      job.fork(() -> Pipeline.pollStats(stream, state));

      // The cache entry is owned: the job's close removes it, not a reconnected caller's newer one.
      participants.put(call.caller(), state);
      job.own(state, s -> participants.remove(call.caller(), s));

      if (!left.await(CALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException(call.caller() + " was still on the call after " + CALL_LIMIT);
      }
    }
  }

  @Override
  public int cachedParticipants() {
    return participants.size();
  }

  @Override
  public void close() {
    worker.close();
  }
}
