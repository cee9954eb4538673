package io.lifecycle.junit;

import static io.lifecycle.junit.Leftovers.hold;
import static io.lifecycle.junit.Leftovers.leak;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifecycle.core.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The key scenarios of {@link LeakCheckTest}, fifty times in one JVM: every clean repetition
 * passes, even with threads that end only during the linger; every leaking repetition fails with
 * a report of exactly its own leaks (a dropped scope, a scope held open, a raw virtual thread, a
 * platform thread), never those of an earlier repetition, whose scopes and threads are still
 * alive, or being collected, while the next one runs.
 */
class LeakCheckRepeatedTest {
  static final int REPETITIONS = 50;

  @AfterEach
  void cleanUp() throws InterruptedException {
    Leftovers.cleanUp();
  }

  @LeakCheck
  static class Clean {
    @RepeatedTest(REPETITIONS)
    void closesEverything_andStragglersEndInTheLinger() throws Exception {
      try (Scope job = Scope.open("job")) {
        job.own(new AudioStream());
        job.child("call").own(new AudioStream());
        job.fork(() -> 42);
        job.fork(() -> Leftovers.awaitRelease()); // parked: the close cancels it
        job.join(Duration.ZERO);
      } catch (TimeoutException expected) {
        // the join gives up on the parked task at once; the close cancels and joins it
      }
      Thread.ofPlatform().start(() -> {}).join();
      Thread.ofVirtual().start(() -> {}).join();
      Thread.ofVirtual().name("straggler").start(Stragglers.endingInTheLinger());
      Thread.ofPlatform().name("straggler").start(Stragglers.endingInTheLinger());
    }
  }

  @LeakCheck(lingerMillis = 0)
  static class Leaks {
    static final List<String> expected = new CopyOnWriteArrayList<>();

    @RepeatedTest(REPETITIONS)
    void leaksScopesAndThreads() throws InterruptedException {
      int holdLine = Kit.nextLine();
      hold(Scope.open("held")).own(new AudioStream());
      int dropLine = drop();
      long virtual = leak(Thread.ofVirtual()).threadId();
      leak(Thread.ofPlatform().name("leaky"));
      String site = " (opened at LeakCheckRepeatedTest$Leaks.";
      expected.add(
          "2 scopes leaked: held"
              + site
              + "leaksScopesAndThreads:"
              + holdLine
              + ") still owns AudioStream x1 [+1 more];"
              + " 2 threads still running: #"
              + virtual
              + " (virtual), leaky (platform)"
              + "\n"
              + "dropped"
              + site
              + "drop:"
              + dropLine
              + ")");
    }

    private static int drop() {
      int line = Kit.nextLine();
      Scope.open("dropped").own(new AudioStream());
      return line;
    }
  }

  @Test
  void cleanRepetitions_allPass() {
    Kit.assertCounts(Kit.run(Clean.class), REPETITIONS, 0);
  }

  @Test
  void leakingRepetitions_allFail_eachWithItsOwnLeaks() {
    Leaks.expected.clear();
    EngineExecutionResults results = Kit.run(Leaks.class);
    Kit.assertCounts(results, 0, REPETITIONS);
    List<String> actual = new ArrayList<>();
    results.testEvents().failed().stream()
        .forEach(
            e -> {
              String message =
                  e.getPayload(TestExecutionResult.class)
                      .flatMap(TestExecutionResult::getThrowable)
                      .orElseThrow()
                      .getMessage();
              // the headline, and the dropped scope's line of the section
              String dropped =
                  message
                      .lines()
                      .filter(l -> l.startsWith("      opened at io.lifecycle.junit.LeakCheckRepeatedTest$Leaks.drop("))
                      .map(l -> "dropped (opened at LeakCheckRepeatedTest$Leaks.drop:"
                          + l.replaceAll(".*:(\\d+)\\)$", "$1") + ")")
                      .findFirst()
                      .orElse("no dropped scope in:\n" + message);
              actual.add(message.lines().findFirst().orElseThrow() + "\n" + dropped);
            });
    assertEquals(Leaks.expected, actual);
  }
}
