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
            "  void waits(Future<String> f, CompletableFuture<String> cf, CountDownLatch latch,",
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
            "  void waits(Future<String> f, CompletableFuture<String> cf, CountDownLatch latch,",
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
            "  private final BlockingQueue<String> bounded = new LinkedBlockingQueue<>(10);",
            "  private final BlockingQueue<String> array = new ArrayBlockingQueue<>(10);",
            "  void put(PriorityBlockingQueue<String> priority, LinkedTransferQueue<String> transfer)",
            "      throws InterruptedException {",
            "    unbounded.put(\"x\");",
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
