package io.lifecycle.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Fails a test that leaks: scopes it opened and did not close, resources it gave to older scopes
 * and did not release, threads it started that are still running.
 *
 * {@snippet :
 * @LeakCheck
 * class RoomTest {
 *   @Test
 *   void joinAndLeave() throws Exception {
 *     try (Scope room = Scope.open("room")) {
 *       room.own(openAudio());          // released by the close: passes
 *       room.fork(this::pollStats);     // cancelled and joined by the close: passes
 *     }
 *   }
 * }
 * }
 *
 * <h2>What is checked</h2>
 *
 * <p>Around each test (each invocation of a {@code @Test}, a {@code @RepeatedTest}, a
 * {@code @ParameterizedTest}; a {@code @TestFactory} as a whole), the check
 *
 * <ol>
 *   <li>before the test instance is constructed (or, when that is not possible, before any
 *       {@code @BeforeEach} method: with a {@code PER_CLASS} instance, and on JUnit before 5.12,
 *       which does not tell an extension which test an instance is for): raises the runtime's
 *       leak level to at least {@link io.lifecycle.core.LeakLevel#ALL ALL}, so that every scope
 *       records where it was opened; starts listening for leak reports; records the live threads
 *       (platform threads and the tasks of scopes) and the open scopes with what they own; notes
 *       the time: a scope opened from then on is the test's;
 *   <li>after the test and after every {@code @AfterEach} method (it is an {@link
 *       org.junit.jupiter.api.extension.AfterEachCallback}, and JUnit runs those after all
 *       {@code @AfterEach} methods): settles the garbage collector and the library's cleanup with
 *       {@link io.lifecycle.core.Lifecycle#awaitCleanup}, bounded by {@link #timeoutMillis()};
 *       gives threads the test started until {@link #lingerMillis()} after the test to finish
 *       (joining them, not sleeping); then fails the test if
 *       <ul>
 *         <li>a scope opened during the test is still open or closing (the topmost of each
 *             leaked subtree is reported, with what the subtree owns),
 *         <li>a scope opened during the test was reported leaked (dropped without close and
 *             found by the garbage collector, at any moment during the test or the settling),
 *         <li>a scope that was open before the test owns more resources, actions or listeners
 *             of some type than before (a long-lived owner that grows),
 *         <li>a thread started during the test is still alive, other than those ignored (see
 *             {@link #ignoreThreads()});
 *       </ul>
 *   <li>restores the leak level and stops listening.
 * </ol>
 *
 * <p>The failure is an {@link AssertionError} whose message leads with the cause, for example
 *
 * <pre>
 * 1 scope leaked: job (opened at Worker.run:42) still owns AudioStream x1; 1 thread still running: poller (platform)
 * </pre>
 *
 * <p>followed by a section per kind: each scope's path, state, age, what it owns and where it was
 * opened; each thread's name, id, kind (platform or virtual), state and stack (bounded), under a
 * header that says how long after the test they were last seen running (the linger, or longer
 * when settling took longer). When the test itself failed, the leak failure is added to it as a
 * suppressed exception. A check that began ends even if the test never reaches {@code
 * @AfterEach} (its class cannot be constructed): JUnit closes it with the test's store.
 *
 * <h2>Where threads are found</h2>
 *
 * <p>Platform threads: the JVM's list of threads. Virtual threads forked into scopes: the scopes'
 * task trees ({@link io.lifecycle.core.Lifecycle#openScopes()}). Any other virtual thread (say
 * {@code Thread.ofVirtual().start(...)}): the JDK's JSON thread dump ({@code
 * HotSpotDiagnosticMXBean.dumpThreads}), which lists them unless the JVM runs with {@code
 * -Djdk.trackAllThreads=false}. A check reads the dump once, after the test, and only if a thread
 * was constructed during the test (OpenJDK numbers threads in the order they are constructed).
 * When the dump is unavailable (no {@code jdk.management} module, a format not understood), such
 * threads are not checked, for the rest of the JVM's life; that is logged once at WARNING, and
 * each check says so: in a {@code note:} line of its failure message, and as the report entry
 * {@code "lifecycle.note"} of a test that passes.
 *
 * <p>Threads that were alive before the test are never reported, whatever they do. Threads of the
 * JVM, the JDK and the test harness, which start lazily, are ignored by name: {@code Reference
 * Handler}, {@code Finalizer}, {@code Signal Dispatcher}, {@code Attach Listener}, {@code
 * Notification Thread}, {@code Common-Cleaner}, {@code process reaper}, {@code JFR ...}, the
 * common pool's {@code ForkJoinPool.commonPool-worker-N}, the virtual thread scheduler's carrier
 * and helper threads, the JDK's pollers and keep-alive timers, RMI and JMX threads, this
 * library's {@code lifecycle-cleaner}, Surefire's {@code surefire-forkedjvm-...} and JUnit's
 * timeout threads and worker threads.
 *
 * <h2>Configuration</h2>
 *
 * <p>The annotation goes on a test class (inherited by subclasses and by {@link
 * org.junit.jupiter.api.Nested @Nested} classes), on a test method, or on an annotation of the
 * user's (composed). For each test, the <em>nearest</em> {@code @LeakCheck} decides {@link
 * #enabled()}, {@link #mode()}, {@link #timeoutMillis()} and {@link #lingerMillis()}: the
 * method's, else its class's (or a superclass's or an implemented interface's), else the
 * enclosing class's, outwards. {@link #ignoreThreads()} and {@link #ignoreScopes()} add up over
 * every level. So {@code @LeakCheck(enabled = false)} on a method (or a nested class) opts it out
 * of a checked class, and {@code @LeakCheck(mode = WARN)} on a method relaxes just that test.
 * An invalid value (a negative duration, a malformed pattern) fails the test with an {@link
 * org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the element and the
 * attribute.
 *
 * <h2>Parallel execution</h2>
 *
 * <p>Scopes, leak reports, the leak level and the thread list are JVM-wide: a test running
 * concurrently would be blamed for another's leaks. So this annotation carries a resource lock,
 * {@code @ResourceLock("io.lifecycle.runtime")}: under JUnit's parallel execution, checked tests
 * never run at the same time as each other (a checked class holds the lock for all its tests,
 * which then run one at a time). Tests that are not checked but open scopes or threads while
 * checked tests run can still be blamed; give them the same lock,
 * {@code @ResourceLock(LeakCheck.RUNTIME_LOCK)}, or run them in a separate phase. An opted-out test
 * ({@code enabled = false}) still holds the lock.
 *
 * <h2>Limits</h2>
 *
 * <ul>
 *   <li>What {@code @BeforeAll} and {@code @AfterAll} methods open and close is not checked, nor
 *       the fields of a {@code PER_CLASS} test instance: the check is per test.
 *   <li>A scope referenced from its own tasks or actions cannot be found by the collector; it is
 *       reported as still open, not as dropped.
 *   <li>Settling calls {@link System#gc()}; with {@code -XX:+DisableExplicitGC} a dropped scope
 *       may be reported as such only if a collection happens within the timeout.
 *   <li>A virtual thread outside scopes constructed before the check began and started during
 *       the test is not seen (platform threads and scope tasks have no such limit).
 * </ul>
 *
 * <h2>JUnit versions</h2>
 *
 * <p>JUnit Jupiter 5.10 or later, 5.x or 6.x. Before 5.12 a check begins at {@code @BeforeEach}
 * (what field initializers of the test instance open is not checked); otherwise every version
 * checks the same.
 *
 * @see LeakAssertions the same check for code that does not run under JUnit Jupiter
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LeakCheckExtension.class)
@ResourceLock(LeakCheck.RUNTIME_LOCK)
public @interface LeakCheck {
  /**
   * The JUnit resource lock that checked tests hold: {@value}. Put
   * {@code @ResourceLock(LeakCheck.RUNTIME_LOCK)} on unchecked tests that must not run while
   * checked ones do.
   */
  String RUNTIME_LOCK = "io.lifecycle.runtime";

  /** The default of {@link #timeoutMillis()}: {@value} ms. */
  long DEFAULT_TIMEOUT_MILLIS = 5_000;

  /** The default of {@link #lingerMillis()}: {@value} ms. */
  long DEFAULT_LINGER_MILLIS = 500;

  /**
   * Whether tests here are checked. {@code false} opts a method, a class or a nested class out of
   * a check declared further out; a nearer {@code @LeakCheck} can opt back in.
   */
  boolean enabled() default true;

  /** What a leak does: fail the test (the default), or only log a warning. */
  Mode mode() default Mode.FAIL;

  /**
   * The longest the check waits, after the test, for the garbage collector and the library's
   * cleanup to settle (to find scopes the test dropped); at least 0. The wait ends as soon as two
   * collections in a row find nothing new, typically within tens of milliseconds.
   */
  long timeoutMillis() default DEFAULT_TIMEOUT_MILLIS;

  /**
   * How long after the test a thread it started may still be running without being reported;
   * at least 0. The check waits for such threads to end (joining them), and no longer than this:
   * a test whose threads have all ended pays nothing.
   */
  long lingerMillis() default DEFAULT_LINGER_MILLIS;

  /**
   * Regular expressions matched against whole thread names: threads that match are not
   * reported, in addition to the JVM's, the JDK's and the harness's (see the class
   * documentation). An unnamed virtual thread has the empty name.
   */
  String[] ignoreThreads() default {};

  /**
   * Regular expressions matched against whole scope paths ({@code "app/room/job"}): a scope that
   * matches, and everything under it, is not reported.
   */
  String[] ignoreScopes() default {};

  /** What a check does when it finds a leak. */
  enum Mode {
    /** Fail the test with an {@link AssertionError} that reports the leaks. */
    FAIL,
    /**
     * Pass the test, and log the same report at WARNING through {@link System.Logger} {@code
     * "io.lifecycle.junit"}; it is also published as the test's report entry {@code
     * "lifecycle.leaks"}.
     */
    WARN
  }
}
