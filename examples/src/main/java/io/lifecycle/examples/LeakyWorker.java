package io.lifecycle.examples;

import io.lifecycle.core.Scope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The agent worker as its users wrote it. Each call runs as a job on a pool of platform threads: it
 * connects, publishes the agent's voice, subscribes to the caller's audio, registers a callback,
 * starts a stats poller, caches the caller's state and waits for the caller to leave.
 *
 * <p>The job closes the resource everyone remembers, its connection, and leaks four others, as
 * reported from production:
 *
 * <ol>
 *   <li>the audio stream is never closed: its 256 KiB of native memory stay allocated;
 *   <li>the callback stays registered on the room, which outlives every call, and keeps what it
 *       captures reachable;
 *   <li>the stats poller keeps running, on a platform thread: it polls while the stream is open,
 *       and nobody closes the stream;
 *   <li>the participant cache keeps the caller's entry, with 32 KiB of conversation context.
 * </ol>
 *
 * <p>Restarting the worker, or running each job in a process of its own, hides all four. Each bug
 * below carries the {@code @SuppressWarnings} of the compile-time check that reports it.
 *
 * <p>With {@code detect}, the job also puts its stream and its poller in a job scope, and forgets
 * to close that scope: the garbage collector finds the dropped scope, the library reports it with
 * the place it was opened, and closes what it owned (see {@link io.lifecycle.core.LeakReport}). The
 * callback and the cache entry, which the scope does not own, still leak.
 */
final class LeakyWorker implements Worker {
  // The bug demonstrated, reported by StaticCollectionGrows: an entry per call, never removed.
  @SuppressWarnings("StaticCollectionGrows")
  private static final Map<String, ParticipantState> PARTICIPANTS = new ConcurrentHashMap<>();

  private final Room room;
  private final boolean detect;
  private final ExecutorService executor;

  LeakyWorker(Room room, int threads, boolean detect) {
    this.room = room;
    this.detect = detect;
    this.executor =
        Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("worker-", 1).factory());
  }

  @Override
  public Future<?> submit(Call call) {
    return executor.submit(
        () -> {
          runJob(call);
          return null;
        });
  }

  private void runJob(Call call) throws InterruptedException {
    // The bug of --detect, caught by MustBeClosedChecker: a scope opened and never closed.
    @SuppressWarnings("MustBeClosedChecker")
    Scope job = detect ? Scope.open("job") : null;
    try (Participant agent = room.connect("agent-" + call.id())) {
      agent.publishAudio("voice");
      // The bug demonstrated: the stream is never closed.
      AudioStream stream = new AudioStream(room.subscribe(call.caller()));
      ParticipantState state = new ParticipantState(call.caller());
      CountDownLatch left = leaveSignal(call.caller());

      Thread.ofPlatform()
          .name("listen-" + call.id())
          .start(
              () -> {
                try {
                  Pipeline.listen(stream, state);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      // The bug demonstrated: the poller runs until the stream is closed, which never happens.
      Thread poller =
          Thread.ofPlatform()
              .name("stats-" + call.id())
              .start(
                  () -> {
                    try {
                      Pipeline.pollStats(stream, state);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });

      PARTICIPANTS.put(call.caller(), state);

      if (job != null) { // --detect only: the forgotten scope owns the stream and the poller
        job.own(stream);
        job.own(poller);
      }
      stayUntil(left);
    }
  }

  /** Returns a latch that a callback on the room counts down when {@code caller} leaves. */
  // The bug demonstrated, caught by ListenerNeverRemoved: added to the room, never removed.
  @SuppressWarnings("ListenerNeverRemoved")
  private CountDownLatch leaveSignal(String caller) {
    CountDownLatch left = new CountDownLatch(1);
    room.addListener(
        identity -> {
          if (identity.equals(caller)) {
            left.countDown();
          }
        });
    return left;
  }

  // The bug demonstrated, caught by UnboundedWait: if no leave event comes, the job never ends.
  @SuppressWarnings("UnboundedWait")
  private static void stayUntil(CountDownLatch left) throws InterruptedException {
    left.await();
  }

  @Override
  public int cachedParticipants() {
    return PARTICIPANTS.size();
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
