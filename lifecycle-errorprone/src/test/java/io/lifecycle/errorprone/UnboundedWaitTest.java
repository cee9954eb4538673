package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;
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
            "    // BUG: Diagnostic contains: Condition.await()",
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
   * Not reported: a method that takes a timeout (its untimed path is its caller's choice), a
   * wrapper named for the wait applied to its parameter, the idle take() of a consumer loop, and
   * get() on a future taken from a completion queue.
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
            "  void awaitQuietly(CountDownLatch latch) {",
            "    try { latch.await(); } catch (InterruptedException e) { }",
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
   * Not reported: a launcher's wait for its server's lifetime (reached only from main), a
   * worker's idle wait in its run() loop, and a class's own untimed join().
   */
  @Test
  void lifetimeAndIdleWaits_notReported() {
    helper
        .addSourceLines(
            "Server.java",
            "import java.util.concurrent.*;",
            "class Server implements Runnable {",
            "  private final CountDownLatch shutdown = new CountDownLatch(1);",
            "  private final Object lock = new Object();",
            "  private boolean pending;",
            "  private volatile boolean stopped;",
            "  private final Thread thread = new Thread(this);",
            "  public static void main(String[] args) throws InterruptedException {",
            "    new Server().serve();",
            "  }",
            "  void serve() throws InterruptedException {",
            "    thread.start();",
            "    shutdown.await();",
            "  }",
            "  @Override public void run() {",
            "    while (!stopped) {",
            "      step();",
            "    }",
            "  }",
            "  private void step() {",
            "    synchronized (lock) {",
            "      while (!pending && !stopped) {",
            "        try { lock.wait(); } catch (InterruptedException e) { return; }",
            "      }",
            "    }",
            "  }",
            "  public void join() throws InterruptedException {",
            "    thread.join();",
            "  }",
            "  void awaitPending() throws InterruptedException {",
            "    synchronized (lock) {",
            "      while (!pending) {",
            "        // BUG: Diagnostic contains: UnboundedWait",
            "        lock.wait();",
            "      }",
            "    }",
            "  }",
            "  void stop() throws InterruptedException {",
            "    stopped = true;",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    thread.join();",
            "  }",
            "  public void await() throws InterruptedException {",
            "    synchronized (lock) {",
            "      while (!stopped) {",
            "        lock.wait();",
            "      }",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /** A latch that only tests set (a test hook) is not a production wait. */
  @Test
  void testHook_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import java.util.concurrent.*;",
            "class Test {",
            "  volatile CountDownLatch debugLatch = null;",
            "  private CountDownLatch set;",
            "  Test(CountDownLatch latch) { set = latch; }",
            "  void step() throws InterruptedException {",
            "    if (debugLatch != null) {",
            "      debugLatch.await();",
            "    }",
            "    // BUG: Diagnostic contains: UnboundedWait",
            "    set.await();",
            "  }",
            "}")
        .doTest();
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
