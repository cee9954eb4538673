package io.lifecycle.errorprone;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link UnboundedWait}. */
final class UnboundedWaitTest {
  private final CompilationTestHelper helper =
      Stubs.addCore(CompilationTestHelper.newInstance(UnboundedWait.class, getClass()));

  /** Every untimed wait in the list is reported, with its bounded alternative. */
  @Test
  void untimedWaits_reported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.locks.*;",
            "class Test {",
            "  void blocks(Future<String> f, CompletableFuture<String> cf, CountDownLatch latch,",
            "      CyclicBarrier barrier, Condition condition, Thread thread, Object monitor,",
            "      BlockingQueue<String> queue, BlockingDeque<String> deque,",
            "      TransferQueue<String> transfer, Semaphore semaphore, io.lifecycle.core.Scope scope)",
            "      throws Exception {",
            "    // BUG: Diagnostic contains: use get(timeout, unit)",
            "    f.get();",
            "    // BUG: Diagnostic contains: orTimeout(timeout, unit) before joining",
            "    cf.join();",
            "    // BUG: Diagnostic contains: Future.get()",
            "    cf.get();",
            "    // BUG: Diagnostic contains: CountDownLatch.await()",
            "    latch.await();",
            "    // BUG: Diagnostic contains: CyclicBarrier.await()",
            "    barrier.await();",
            "    // BUG: Diagnostic contains: Condition.await()",
            "    condition.await();",
            "    // BUG: Diagnostic contains: Condition.awaitUninterruptibly()",
            "    condition.awaitUninterruptibly();",
            "    // BUG: Diagnostic contains: join(millis) or join(Duration)",
            "    thread.join();",
            "    synchronized (monitor) {",
            "      // BUG: Diagnostic contains: Object.wait()",
            "      monitor.wait();",
            "    }",
            "    // BUG: Diagnostic contains: poll(timeout, unit)",
            "    queue.take();",
            "    // BUG: Diagnostic contains: offer(e, timeout, unit)",
            "    queue.put(\"x\");",
            "    // BUG: Diagnostic contains: pollFirst(timeout, unit)",
            "    deque.takeFirst();",
            "    // BUG: Diagnostic contains: offerFirst(e, timeout, unit)",
            "    deque.putLast(\"x\");",
            "    // BUG: Diagnostic contains: tryTransfer(e, timeout, unit)",
            "    transfer.transfer(\"x\");",
            "    // BUG: Diagnostic contains: tryAcquire(timeout, unit)",
            "    semaphore.acquire();",
            "    // BUG: Diagnostic contains: tryAcquire(timeout, unit)",
            "    semaphore.acquireUninterruptibly(2);",
            "    // BUG: Diagnostic contains: use join(Duration)",
            "    scope.join();",
            "  }",
            "  synchronized void implicitThis() throws InterruptedException {",
            "    // BUG: Diagnostic contains: Object.wait()",
            "    wait();",
            "  }",
            "}")
        .doTest();
  }

  /** The timed overloads are the fix, and are not reported; nor is Lock.lock(). */
  @Test
  void timedOverloads_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.time.Duration;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.locks.*;",
            "class Test {",
            "  void blocks(Future<String> f, CompletableFuture<String> cf, CountDownLatch latch,",
            "      Condition condition, Thread thread, Object monitor, BlockingQueue<String> queue,",
            "      Semaphore semaphore, Lock lock, io.lifecycle.core.Scope scope) throws Exception {",
            "    f.get(1, TimeUnit.SECONDS);",
            "    cf.get(1, TimeUnit.SECONDS);",
            "    cf.getNow(null);",
            "    latch.await(1, TimeUnit.SECONDS);",
            "    condition.await(1, TimeUnit.SECONDS);",
            "    condition.awaitNanos(1_000);",
            "    thread.join(1_000);",
            "    thread.join(Duration.ofSeconds(1));",
            "    synchronized (monitor) {",
            "      monitor.wait(1_000);",
            "    }",
            "    queue.poll(1, TimeUnit.SECONDS);",
            "    queue.offer(\"x\", 1, TimeUnit.SECONDS);",
            "    semaphore.tryAcquire(1, TimeUnit.SECONDS);",
            "    scope.join(Duration.ofSeconds(1));",
            "    lock.lock();",
            "    lock.unlock();",
            "  }",
            "}")
        .doTest();
  }

  /** A future known to be complete cannot block, and is not reported. */
  @Test
  void futureKnownDone_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.concurrent.*;",
            "class Test {",
            "  private Future<String> field;",
            "  String guarded(Future<String> f) throws Exception {",
            "    if (f.isDone()) {",
            "      return f.get();",
            "    }",
            "    return null;",
            "  }",
            "  String negatedElse(Future<String> f) throws Exception {",
            "    if (!f.isDone()) {",
            "      return null;",
            "    } else {",
            "      return f.get();",
            "    }",
            "  }",
            "  String earlyExit(CompletableFuture<String> f) {",
            "    if (!f.isDone() || f.isCancelled()) {",
            "      throw new IllegalStateException();",
            "    }",
            "    return f.join();",
            "  }",
            "  String conjunction(Future<String> f) throws Exception {",
            "    return f.isDone() && !f.isCancelled() ? f.get() : null;",
            "  }",
            "  boolean shortCircuit(CompletableFuture<String> f) {",
            "    return !f.isCompletedExceptionally() && f.isDone() && f.join() != null;",
            "  }",
            "  String fieldGuard() throws Exception {",
            "    if (this.field.isDone()) {",
            "      return field.get();",
            "    }",
            "    return null;",
            "  }",
            "  String otherFutureGuard(Future<String> a, Future<String> b) throws Exception {",
            "    if (a.isDone()) {",
            "      // BUG: Diagnostic contains: UnboundedWait",
            "      return b.get();",
            "    }",
            "    return null;",
            "  }",
            "  String negatedGuard(Future<String> f) throws Exception {",
            "    if (!f.isDone()) {",
            "      // BUG: Diagnostic contains: UnboundedWait",
            "      return f.get();",
            "    }",
            "    return null;",
            "  }",
            "}")
        .doTest();
  }

  /** An always-complete future (isDone() returns true) never blocks in its own get(). */
  @Test
  void immediateFuture_notReported() {
    helper
        .addSourceLines(
            "Immediate.java",
            "import java.util.concurrent.*;",
            "abstract class Immediate<V> implements Future<V> {",
            "  @Override public boolean isDone() { return true; }",
            "  @Override public V get(long timeout, TimeUnit unit) throws ExecutionException {",
            "    try {",
            "      return get();",
            "    } catch (InterruptedException e) {",
            "      throw new AssertionError(e);",
            "    }",
            "  }",
            "}")
        .addSourceLines(
            "Lazy.java",
            "import java.util.concurrent.*;",
            "abstract class Lazy<V> implements Future<V> {",
            "  @Override public V get(long timeout, TimeUnit unit)",
            "      throws ExecutionException, InterruptedException {",
            "    // BUG: Diagnostic contains: Future.get()",
            "    return get();",
            "  }",
            "}")
        .doTest();
  }

  /** Inside a completion callback of the future (or of allOf over it), it is complete. */
  @Test
  void completionCallback_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.google.common.util.concurrent.*;",
            "import java.util.concurrent.*;",
            "class Test {",
            "  CompletableFuture<String> both(CompletableFuture<String> a, CompletableFuture<String> b) {",
            "    return CompletableFuture.allOf(a, b).thenApply(v -> a.join() + b.join());",
            "  }",
            "  CompletableFuture<String> self(CompletableFuture<String> a) {",
            "    return a.whenComplete((v, e) -> a.join()).thenApply(v -> a.join());",
            "  }",
            "  CompletableFuture<String> combined(CompletableFuture<String> a, CompletableFuture<String> b) {",
            "    return a.thenCombine(b, (x, y) -> b.join());",
            "  }",
            "  void listener(ListenableFuture<String> f, Executor e) {",
            "    f.addListener(() -> { try { f.get(); } catch (Exception ex) { } }, e);",
            "  }",
            "  ListenableFuture<String> guava(ListenableFuture<String> a, ListenableFuture<String> b) {",
            "    return Futures.whenAllSucceed(a, b).call(() -> a.get() + b.get(), Runnable::run);",
            "  }",
            "  CompletableFuture<String> unrelated(CompletableFuture<String> a, CompletableFuture<String> b) {",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    return a.thenApply(v -> b.join());",
            "  }",
            "  void executor(ExecutorService e, Future<String> f) {",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    e.execute(() -> { try { f.get(); } catch (Exception ex) { } });",
            "  }",
            "}")
        .doTest();
  }

  /** A CompletableFuture bounded by orTimeout or completeOnTimeout is not reported. */
  @Test
  void orTimeout_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.concurrent.*;",
            "class Test {",
            "  void chain(CompletableFuture<String> a, CompletableFuture<String> b) {",
            "    CompletableFuture.allOf(a, b).orTimeout(1, TimeUnit.SECONDS).join();",
            "    a.completeOnTimeout(\"x\", 1, TimeUnit.SECONDS).thenApply(String::trim).join();",
            "  }",
            "  String local(CompletableFuture<String> a) throws Exception {",
            "    CompletableFuture<String> bounded = a.thenApply(String::trim).orTimeout(1, TimeUnit.SECONDS);",
            "    return bounded.join() + bounded.get();",
            "  }",
            "  String separateStatement(CompletableFuture<String> a) {",
            "    CompletableFuture<String> f = a.thenApply(String::trim);",
            "    f.orTimeout(1, TimeUnit.SECONDS);",
            "    return f.join();",
            "  }",
            "  String otherFuture(CompletableFuture<String> a, CompletableFuture<String> b) {",
            "    a.orTimeout(1, TimeUnit.SECONDS);",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    return b.join();",
            "  }",
            "}")
        .doTest();
  }

  /** put on a queue whose insert never blocks is not a wait. */
  @Test
  void putOnUnboundedQueue_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.concurrent.*;",
            "class Test {",
            "  private final BlockingQueue<String> unbounded = new LinkedBlockingQueue<>();",
            "  private final BlockingQueue<String> assigned;",
            "  Test() { assigned = new LinkedBlockingQueue<>(); }",
            "  private final BlockingQueue<String> bounded = new LinkedBlockingQueue<>(10);",
            "  private final BlockingQueue<String> array = new ArrayBlockingQueue<>(10);",
            "  void put(PriorityBlockingQueue<String> priority, LinkedTransferQueue<String> transfer)",
            "      throws InterruptedException {",
            "    unbounded.put(\"x\");",
            "    assigned.put(\"x\");",
            "    priority.put(\"x\");",
            "    transfer.put(\"x\");",
            "    BlockingDeque<String> local = new LinkedBlockingDeque<>();",
            "    local.put(\"x\");",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    bounded.put(\"x\");",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    array.put(\"x\");",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    unbounded.take();",
            "  }",
            "}")
        .doTest();
  }

  /** The body of an untimed wait's own implementation is not reported: its callers are. */
  @Test
  void implementationOfUntimedWait_notReported() {
    helper
        .addSourceLines(
            "Latched.java",
            "import java.util.concurrent.*;",
            "class Latched implements Future<String> {",
            "  private final CountDownLatch done = new CountDownLatch(1);",
            "  @Override public String get() throws InterruptedException {",
            "    done.await();",
            "    return \"\";",
            "  }",
            "  @Override public String get(long timeout, TimeUnit unit) throws InterruptedException {",
            "    done.await(timeout, unit);",
            "    return \"\";",
            "  }",
            "  @Override public boolean cancel(boolean interrupt) { return false; }",
            "  @Override public boolean isCancelled() { return false; }",
            "  @Override public boolean isDone() { return done.getCount() == 0; }",
            "  String value() throws InterruptedException {",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    done.await();",
            "    return \"\";",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Not reported: the untimed branch that a timeout parameter chooses, the idle take() of a
   * consumer loop, and get() on a future taken from a completion queue.
   */
  @Test
  void callerChosenOrIdleWaits_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.time.Duration;",
            "import java.util.concurrent.*;",
            "class Test {",
            "  private final BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(10);",
            "  String borrow(Duration maxWait, BlockingDeque<String> idle) throws Exception {",
            "    return maxWait.isNegative() ? idle.takeFirst() : idle.pollFirst(1, TimeUnit.SECONDS);",
            "  }",
            "  void consume() throws InterruptedException {",
            "    while (!Thread.currentThread().isInterrupted()) {",
            "      work.take().run();",
            "    }",
            "  }",
            "  String first(CompletionService<String> service) throws Exception {",
            "    Future<String> done = service.take();",
            "    return done.get() + service.take().get();",
            "  }",
            "  Runnable once() throws InterruptedException {",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    return work.take();",
            "  }",
            "  void process(CountDownLatch latch) throws InterruptedException {",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    latch.await();",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A method is not a wait because of its name: only an override of a JDK wait (or of Lock.lock)
   * is the implementation of one. A class's own join(), await() or get(key) that waits forever is
   * reported, and so is a wrapper named for the wait with no timed sibling.
   */
  @Test
  void methodNamedLikeWait_reported() {
    helper
        .addSourceLines(
            "Holder.java",
            "import java.util.concurrent.*;",
            "class Holder {",
            "  private final Future<String> f;",
            "  private final Thread thread;",
            "  private final CountDownLatch latch = new CountDownLatch(1);",
            "  Holder(Future<String> f, Thread thread) { this.f = f; this.thread = thread; }",
            "  String get(String key) throws Exception {",
            "    // BUG: Diagnostic contains: Future.get()",
            "    return f.get();",
            "  }",
            "  public void join() throws InterruptedException {",
            "    // BUG: Diagnostic contains: Thread.join()",
            "    thread.join();",
            "  }",
            "  public void await() throws InterruptedException {",
            "    // BUG: Diagnostic contains: CountDownLatch.await()",
            "    latch.await();",
            "  }",
            "  static void awaitQuietly(CountDownLatch latch) {",
            "    // BUG: Diagnostic contains: CountDownLatch.await()",
            "    try { latch.await(); } catch (InterruptedException e) { }",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Not reported: the body of a Lock implementation's lock(), and an API's untimed variant offered
   * beside a timed overload of the same name (Guava's Uninterruptibles, a latch's await()).
   */
  @Test
  void blockingImplementationOrTimedSibling_notReported() {
    helper
        .addSourceLines(
            "Gate.java",
            "import java.util.concurrent.locks.*;",
            "abstract class Gate implements Lock {",
            "  private final Lock inner = new ReentrantLock();",
            "  private final Condition open = inner.newCondition();",
            "  @Override public void lock() {",
            "    open.awaitUninterruptibly();",
            "  }",
            "}")
        .addSourceLines(
            "Quietly.java",
            "import java.util.concurrent.*;",
            "final class Quietly {",
            "  static <V> V getUninterruptibly(Future<V> future) throws ExecutionException {",
            "    while (true) {",
            "      try {",
            "        return future.get();",
            "      } catch (InterruptedException e) {",
            "        Thread.currentThread().interrupt();",
            "      }",
            "    }",
            "  }",
            "  static <V> V getUninterruptibly(Future<V> future, long timeout, TimeUnit unit)",
            "      throws Exception {",
            "    return future.get(timeout, unit);",
            "  }",
            "  static void joinQuietly(Thread thread) throws InterruptedException {",
            "    // BUG: Diagnostic contains: Thread.join()",
            "    thread.join();",
            "  }",
            "}")
        .addSourceLines(
            "Guarded.java",
            "import java.util.concurrent.TimeUnit;",
            "import java.util.concurrent.locks.*;",
            "final class Guarded {",
            "  private final Lock lock = new ReentrantLock();",
            "  private final Condition ready = lock.newCondition();",
            "  public void enterWhen(boolean unused) throws InterruptedException {",
            "    block();",
            "  }",
            "  public boolean enterWhen(boolean unused, long time, TimeUnit unit)",
            "      throws InterruptedException {",
            "    return ready.await(time, unit);",
            "  }",
            "  private void block() throws InterruptedException {",
            "    ready.await();",
            "  }",
            "  void elsewhere() throws InterruptedException {",
            "    // BUG: Diagnostic contains: Condition.await()",
            "    ready.await();",
            "  }",
            "}")
        .addSourceLines(
            "Latch.java",
            "import java.util.concurrent.TimeUnit;",
            "final class Latch {",
            "  private boolean open;",
            "  public synchronized void await() throws InterruptedException {",
            "    while (!open) {",
            "      wait();",
            "    }",
            "  }",
            "  public synchronized boolean await(long timeout, TimeUnit unit)",
            "      throws InterruptedException {",
            "    long deadline = System.nanoTime() + unit.toNanos(timeout);",
            "    while (!open) {",
            "      long left = deadline - System.nanoTime();",
            "      if (left <= 0) {",
            "        return false;",
            "      }",
            "      TimeUnit.NANOSECONDS.timedWait(this, left);",
            "    }",
            "    return true;",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A timeout parameter exempts only the branch it chooses (directly, through a local computed
   * from it, a null box, or a has-timeout flag beside it); a timeout that is never read, or a
   * boolean named like a wait, bounds nothing.
   */
  @Test
  void timeoutParameter_mustChooseTheUntimedBranch() {
    helper
        .addSourceLines(
            "Worker.java",
            "import java.time.Duration;",
            "import java.util.concurrent.*;",
            "class Worker {",
            "  private final Thread t = new Thread(() -> {});",
            "  void stop(Duration timeout) throws InterruptedException {",
            "    // BUG: Diagnostic contains: Thread.join()",
            "    t.join();",
            "  }",
            "  void close(boolean awaitTermination) throws InterruptedException {",
            "    if (awaitTermination) {",
            "      // BUG: Diagnostic contains: Thread.join()",
            "      t.join();",
            "    }",
            "  }",
            "  void stop(long timeout, TimeUnit unit) throws InterruptedException {",
            "    if (timeout <= 0) {",
            "      t.join();",
            "    } else {",
            "      t.join(unit.toMillis(timeout));",
            "    }",
            "  }",
            "  void stopWithin(long timeoutMs) throws InterruptedException {",
            "    if (timeoutMs > 0) {",
            "      t.join(timeoutMs);",
            "      return;",
            "    }",
            "    t.join();",
            "  }",
            "  String await(Future<String> f, Duration timeout) throws Exception {",
            "    long nanos = timeout.toNanos();",
            "    return nanos < 0 ? f.get() : f.get(nanos, TimeUnit.NANOSECONDS);",
            "  }",
            "  synchronized void enter(boolean hasMaxWait, long maxWaitMs) throws InterruptedException {",
            "    if (hasMaxWait) {",
            "      wait(maxWaitMs);",
            "    } else {",
            "      wait();",
            "    }",
            "  }",
            "  synchronized void lockLoop(Long millisToWait) throws InterruptedException {",
            "    if (millisToWait != null) {",
            "      wait(millisToWait);",
            "    } else {",
            "      wait();",
            "    }",
            "  }",
            "  String unrelated(Future<String> f, Duration timeout, boolean now) throws Exception {",
            "    if (now) {",
            "      // BUG: Diagnostic contains: Future.get()",
            "      return f.get();",
            "    }",
            "    return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Only the run() of a Thread subclass, or a loop that tests the interrupt flag, is stopped by
   * interrupt; a Runnable's run() may be a pool task, and uninterruptible waits are never exempt.
   */
  @Test
  void threadBodies_onlyInterruptibleWaitsExempt() {
    helper
        .addSourceLines(
            "Workers.java",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.locks.*;",
            "class Workers {",
            "  static final class Poller extends Thread {",
            "    private final CountDownLatch go = new CountDownLatch(1);",
            "    private final CompletableFuture<String> done = new CompletableFuture<>();",
            "    private final Semaphore permits = new Semaphore(1);",
            "    private final Condition ready = new ReentrantLock().newCondition();",
            "    @Override public void run() {",
            "      try {",
            "        go.await();",
            "        step();",
            "      } catch (InterruptedException e) {",
            "        return;",
            "      }",
            "      // BUG: Diagnostic contains: CompletableFuture.join()",
            "      done.join();",
            "      // BUG: Diagnostic contains: Semaphore.acquireUninterruptibly()",
            "      permits.acquireUninterruptibly();",
            "      // BUG: Diagnostic contains: Condition.awaitUninterruptibly()",
            "      ready.awaitUninterruptibly();",
            "    }",
            "    private void step() throws InterruptedException {",
            "      go.await();",
            "    }",
            "  }",
            "  static final class Job implements Runnable {",
            "    private final CountDownLatch go = new CountDownLatch(1);",
            "    private final CompletableFuture<String> done = new CompletableFuture<>();",
            "    @Override public void run() {",
            "      try {",
            "        // BUG: Diagnostic contains: CountDownLatch.await()",
            "        go.await();",
            "        while (!Thread.currentThread().isInterrupted()) {",
            "          go.await();",
            "          // BUG: Diagnostic contains: CompletableFuture.join()",
            "          done.join();",
            "        }",
            "      } catch (InterruptedException e) {",
            "        Thread.currentThread().interrupt();",
            "      }",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Only a consumer loop's take() is an idle wait: a counted loop, a for-each, or a take whose
   * element is discarded is reported.
   */
  @Test
  void takeInLoop_onlyConsumerLoopsExempt() {
    helper
        .addSourceLines(
            "Consumer.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Consumer {",
            "  private static final String POISON = \"\";",
            "  private final BlockingQueue<String> q = new LinkedBlockingQueue<>();",
            "  private volatile boolean running = true;",
            "  List<String> firstN(int n) throws InterruptedException {",
            "    List<String> out = new ArrayList<>();",
            "    for (int i = 0; i < n; i++) {",
            "      // BUG: Diagnostic contains: BlockingQueue.take()",
            "      out.add(q.take());",
            "    }",
            "    while (out.size() < 2 * n) {",
            "      // BUG: Diagnostic contains: BlockingQueue.take()",
            "      out.add(q.take());",
            "    }",
            "    for (String unused : List.of(\"a\")) {",
            "      // BUG: Diagnostic contains: BlockingQueue.take()",
            "      out.add(q.take());",
            "    }",
            "    return out;",
            "  }",
            "  void consume() throws InterruptedException {",
            "    while (running) {",
            "      handle(q.take());",
            "    }",
            "    String item;",
            "    while ((item = q.take()) != POISON) {",
            "      handle(item);",
            "    }",
            "    for (;;) {",
            "      handle(q.take());",
            "    }",
            "  }",
            "  void drainSignals() throws InterruptedException {",
            "    while (true) {",
            "      // BUG: Diagnostic contains: BlockingQueue.take()",
            "      q.take();",
            "    }",
            "  }",
            "  void handle(String s) {}",
            "}")
        .doTest();
  }

  /** A test hook is a @VisibleForTesting field, or a debug/test-named field only set to null. */
  @Test
  void testHook_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.google.common.annotations.VisibleForTesting;",
            "import java.util.concurrent.*;",
            "class Test {",
            "  volatile CountDownLatch debugLatch = null;",
            "  @VisibleForTesting volatile CountDownLatch pause;",
            "  private CountDownLatch set;",
            "  private CountDownLatch ready;",
            "  Test(CountDownLatch latch) { set = latch; }",
            "  void step() throws InterruptedException {",
            "    if (debugLatch != null) {",
            "      debugLatch.await();",
            "    }",
            "    if (pause != null) {",
            "      pause.await();",
            "    }",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    set.await();",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    ready.await();",
            "  }",
            "}")
        .doTest();
  }

  /** Launchers: a wait reached only from static main lasts for the program's lifetime. */
  @Test
  void reachedOnlyFromMain_notReported() {
    helper
        .addSourceLines(
            "Server.java",
            "import java.util.concurrent.*;",
            "class Server {",
            "  private final CountDownLatch shutdown = new CountDownLatch(1);",
            "  public static void main(String[] args) throws InterruptedException {",
            "    new Server().serve();",
            "  }",
            "  private void serve() throws InterruptedException {",
            "    shutdown.await();",
            "  }",
            "  void stop(Thread thread) throws InterruptedException {",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    thread.join();",
            "  }",
            "}")
        .doTest();
  }

  /** The waits added beside the list, each with an obvious bounded form. */
  @Test
  void moreWaits_reported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.List;",
            "import java.util.concurrent.*;",
            "class Test {",
            "  void blocks(Process process, ExecutorService executor, List<Callable<String>> tasks,",
            "      Exchanger<String> exchanger, Phaser phaser) throws Exception {",
            "    // BUG: Diagnostic contains: use waitFor(timeout, unit)",
            "    process.waitFor();",
            "    // BUG: Diagnostic contains: ExecutorService.invokeAll(tasks)/invokeAny(tasks)",
            "    executor.invokeAll(tasks);",
            "    // BUG: Diagnostic contains: invokeAny(tasks, timeout, unit)",
            "    executor.invokeAny(tasks);",
            "    // BUG: Diagnostic contains: use exchange(x, timeout, unit)",
            "    exchanger.exchange(\"x\");",
            "    // BUG: Diagnostic contains: Phaser.awaitAdvance(phase)",
            "    phaser.awaitAdvance(0);",
            "    // BUG: Diagnostic contains: awaitAdvanceInterruptibly(phase, timeout, unit)",
            "    phaser.arriveAndAwaitAdvance();",
            "    // BUG: Diagnostic contains: Phaser.awaitAdvanceInterruptibly(phase)",
            "    phaser.awaitAdvanceInterruptibly(0);",
            "    // BUG: Diagnostic contains: shutdown(), then awaitTermination(timeout, unit)",
            "    executor.close();",
            "  }",
            "  void bounded(Process process, ExecutorService executor, List<Callable<String>> tasks,",
            "      Exchanger<String> exchanger, Phaser phaser) throws Exception {",
            "    process.waitFor(1, TimeUnit.SECONDS);",
            "    executor.invokeAll(tasks, 1, TimeUnit.SECONDS);",
            "    executor.invokeAny(tasks, 1, TimeUnit.SECONDS);",
            "    exchanger.exchange(\"x\", 1, TimeUnit.SECONDS);",
            "    phaser.awaitAdvanceInterruptibly(0, 1, TimeUnit.SECONDS);",
            "    executor.shutdown();",
            "    executor.awaitTermination(1, TimeUnit.SECONDS);",
            "  }",
            "}")
        .doTest();
  }

  /** -XepOpt:UnboundedWait:ExtraWaits adds a project's own untimed waits, static or not. */
  @Test
  void extraWaitsFlag_addsWaits() {
    CompilationTestHelper.newInstance(UnboundedWait.class, getClass())
        .setArgs(
            "-XepOpt:UnboundedWait:ExtraWaits=com.example.Gate#await,com.example.Waits#quietly")
        .addSourceLines(
            "com/example/Gate.java",
            "package com.example;",
            "import java.time.Duration;",
            "public interface Gate {",
            "  void await() throws InterruptedException;",
            "  boolean await(Duration timeout) throws InterruptedException;",
            "}")
        .addSourceLines(
            "com/example/Waits.java",
            "package com.example;",
            "import java.util.concurrent.TimeUnit;",
            "public final class Waits {",
            "  public static void quietly(Gate gate) {}",
            "  public static void quietly(Gate gate, long timeout, TimeUnit unit) {}",
            "}")
        .addSourceLines(
            "Test.java",
            "import com.example.*;",
            "import java.time.Duration;",
            "import java.util.concurrent.TimeUnit;",
            "class Test {",
            "  void f(Gate gate) throws InterruptedException {",
            "    // BUG: Diagnostic contains: Unbounded wait: Gate.await(...) can block forever",
            "    gate.await();",
            "    boolean unused = gate.await(Duration.ofSeconds(1));",
            "    // BUG: Diagnostic contains: Waits.quietly(...)",
            "    Waits.quietly(gate);",
            "    Waits.quietly(gate, 1, TimeUnit.SECONDS);",
            "  }",
            "}")
        .doTest();
  }

  /** A malformed ExtraWaits entry fails with a message naming it. */
  @Test
  void extraWaitsFlag_malformed_rejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new UnboundedWait(
                    ErrorProneFlags.fromMap(
                        Map.of("UnboundedWait:ExtraWaits", "com.example.Gate.await"))));
    assertTrue(e.getMessage().contains("com.example.Gate.await"), e.getMessage());
  }

  /** The message names the cause and the fix. */
  @Test
  void message_namesCauseAndFix() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.concurrent.*;",
            "class Test {",
            "  void f(CountDownLatch latch) throws InterruptedException {",
            "    // BUG: Diagnostic contains: Unbounded wait: CountDownLatch.await() can block"
                + " forever, pinning this thread and everything it references (a teardown"
                + " waiting here never finishes); use await(timeout, unit) and handle the timeout",
            "    latch.await();",
            "  }",
            "}")
        .doTest();
  }
}
