package io.lifecycle.junit;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.lifecycle.core.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The check of {@link LeakCheck}, as method calls: for harnesses other than JUnit Jupiter (TestNG,
 * JUnit 4 rules, a benchmark's teardown, a soak test's cycle) and for checking one block inside a
 * larger test.
 *
 * {@snippet :
 * LeakAssertions.assertNoLeaks(() -> {
 *   try (Scope job = Scope.open("job")) {
 *     job.own(openAudio());
 *   }
 * });
 *
 * LeakAssertions.builder()
 *     .linger(Duration.ofSeconds(2))
 *     .ignoreThreads("grpc-default-worker-.*")
 *     .assertNoLeaks(server::handleOneRequest);
 * }
 *
 * <p>When a harness has separate set-up and tear-down hooks, start a {@link Checkpoint} in one and
 * assert in the other:
 *
 * {@snippet :
 * LeakAssertions.Checkpoint checkpoint = LeakAssertions.builder().start(); // set-up
 * // ... the test ...
 * checkpoint.assertNoLeaks();                                               // tear-down
 * }
 *
 * <p>The check and its failure message are those of {@link LeakCheck} (see there for what is
 * checked, how threads are found and what is ignored by default), with {@link LeakCheck.Mode#FAIL
 * FAIL}: a leak is an {@link AssertionError}.
 *
 * <p><b>Thread safety:</b> the static methods may be called from any thread. The runtime is
 * JVM-wide: two checks that overlap in time blame each other for what either leaks, so run them
 * one at a time, and not while other code opens scopes or threads.
 */
public final class LeakAssertions {
  private LeakAssertions() {}

  /**
   * Runs {@code body} and fails if it leaked a scope, an owned resource or a thread, with the
   * defaults of {@link LeakCheck}: settling bounded by 5 s, a linger of 500 ms.
   *
   * @param body the code to check; runs on the calling thread
   * @throws AssertionError if {@code body} leaked (see {@link LeakCheck} for the message)
   * @throws Exception what {@code body} threw; a leak found after it is then suppressed in it
   * @throws InterruptedException if the calling thread is interrupted while the check waits
   */
  public static void assertNoLeaks(Action body) throws Exception {
    builder().assertNoLeaks(body);
  }

  /**
   * Returns a builder for a check with its own timeout, linger or ignore patterns.
   *
   * @return a new builder, with the defaults of {@link LeakCheck}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options of a check. Each setter may be called at most once. Not thread-safe; a builder may be
   * reused for several checks.
   */
  public static final class Builder {
    private Duration timeout;
    private Duration linger;
    private List<Pattern> ignoredThreads;
    private List<Pattern> ignoredScopes;

    private Builder() {}

    /**
     * Bounds how long the check waits, after the body, for the garbage collector and the
     * library's cleanup to settle (default {@value LeakCheck#DEFAULT_TIMEOUT_MILLIS} ms).
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder timeout(Duration timeout) {
      checkUnset(this.timeout, "timeout");
      this.timeout = checkNotNegative(timeout, "timeout");
      return this;
    }

    /**
     * Sets how long after the body a thread it started may still be running without being
     * reported (default {@value LeakCheck#DEFAULT_LINGER_MILLIS} ms). The check joins such
     * threads, no longer than this.
     *
     * @throws IllegalArgumentException if {@code linger} is negative
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder linger(Duration linger) {
      checkUnset(this.linger, "linger");
      this.linger = checkNotNegative(linger, "linger");
      return this;
    }

    /**
     * Ignores threads whose whole name matches one of {@code regexes}, in addition to the JVM's,
     * the JDK's and the harness's threads (see {@link LeakCheck}).
     *
     * @throws IllegalArgumentException if a pattern is not a regular expression
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder ignoreThreads(String... regexes) {
      checkUnset(ignoredThreads, "ignoreThreads");
      ignoredThreads = compile(regexes, "ignoreThreads");
      return this;
    }

    /**
     * Ignores scopes whose whole path ({@code "app/room/job"}) matches one of {@code regexes},
     * and everything under them.
     *
     * @throws IllegalArgumentException if a pattern is not a regular expression
     * @throws IllegalStateException if already set
     */
    @CanIgnoreReturnValue
    public Builder ignoreScopes(String... regexes) {
      checkUnset(ignoredScopes, "ignoreScopes");
      ignoredScopes = compile(regexes, "ignoreScopes");
      return this;
    }

    /**
     * Runs {@code body} and fails if it leaked a scope, an owned resource or a thread.
     *
     * @param body the code to check; runs on the calling thread
     * @throws AssertionError if {@code body} leaked
     * @throws Exception what {@code body} threw; a leak found after it is then suppressed in it
     * @throws InterruptedException if the calling thread is interrupted while the check waits
     */
    public void assertNoLeaks(Action body) throws Exception {
      Objects.requireNonNull(body, "body");
      Checkpoint checkpoint = start();
      try {
        body.run();
      } catch (Throwable failure) {
        try {
          checkpoint.assertNoLeaks();
        } catch (Throwable leak) {
          if (leak instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          failure.addSuppressed(leak);
        }
        throw failure;
      }
      checkpoint.assertNoLeaks();
    }

    /**
     * Starts a check now: raises the leak level to at least {@code ALL} and records the live
     * scopes, owned resources and threads. End it with {@link Checkpoint#assertNoLeaks()}, or
     * abandon it with {@link Checkpoint#close()}.
     */
    public Checkpoint start() {
      return new Checkpoint(
          Probe.start(
              new Config(
                  LeakCheck.Mode.FAIL,
                  timeout == null ? Config.DEFAULT_TIMEOUT : timeout,
                  linger == null ? Config.DEFAULT_LINGER : linger,
                  ignoredThreads == null ? List.of() : ignoredThreads,
                  ignoredScopes == null ? List.of() : ignoredScopes)));
    }

    private static void checkUnset(Object value, String name) {
      if (value != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static Duration checkNotNegative(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }

    private static List<Pattern> compile(String[] regexes, String name) {
      Objects.requireNonNull(regexes, "regexes");
      List<Pattern> out = new ArrayList<>(regexes.length);
      for (int i = 0; i < regexes.length; i++) {
        String r = Objects.requireNonNull(regexes[i], "regexes[" + i + "]");
        try {
          out.add(Pattern.compile(r));
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(
              name + " pattern \"" + r + "\" is not a regular expression: " + e.getDescription(),
              e);
        }
      }
      return List.copyOf(out);
    }
  }

  /**
   * A check in progress, from {@link Builder#start()} until {@link #assertNoLeaks()} or {@link
   * #close()}. While it is open the leak level is at least {@code ALL}, runtime-wide.
   *
   * <p>Not thread-safe: it may be started on one thread and ended on another, not by two at once.
   */
  public static final class Checkpoint implements AutoCloseable {
    private final Probe probe;
    private boolean ended;

    private Checkpoint(Probe probe) {
      this.probe = probe;
    }

    /**
     * Ends the check: settles the garbage collector and the library's cleanup, gives threads
     * started since the checkpoint the linger to finish, and fails if anything leaked. Restores the
     * leak level, even when it throws.
     *
     * @throws AssertionError if a scope, an owned resource or a thread leaked since the checkpoint
     * @throws InterruptedException if the calling thread is interrupted while the check waits; the
     *     check has then ended without a verdict
     * @throws IllegalStateException if the check has already ended
     */
    public void assertNoLeaks() throws InterruptedException {
      if (ended) {
        throw new IllegalStateException("this checkpoint has already ended");
      }
      ended = true;
      Findings findings = probe.finish();
      if (!findings.isEmpty()) {
        throw new AssertionError(findings.message());
      }
    }

    /**
     * Ends the check without a verdict and restores the leak level. Idempotent; does nothing
     * after {@link #assertNoLeaks()}.
     */
    @Override
    public void close() {
      ended = true;
      probe.close();
    }
  }
}
