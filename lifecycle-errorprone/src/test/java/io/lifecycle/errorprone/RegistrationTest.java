package io.lifecycle.errorprone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Tests that Error Prone can discover every check, and that each declares its pattern. */
final class RegistrationTest {
  private static final Set<String> CHECKS =
      Set.of(
          "CleanerCapturesReferent",
          "ListenerNeverRemoved",
          "StaticCollectionGrows",
          "UnboundedCache",
          "UnboundedWait");

  /** The service file lists exactly the five checks, as Error Prone's plugin loader reads it. */
  @Test
  void serviceLoader_findsEveryCheck() {
    Set<String> found = new TreeSet<>();
    for (BugChecker checker : ServiceLoader.load(BugChecker.class)) {
      if (checker.getClass().getPackageName().equals("io.lifecycle.errorprone")) {
        found.add(checker.canonicalName());
      }
    }
    assertEquals(new TreeSet<>(CHECKS), found);
  }

  /** Each check carries @BugPattern with a summary, and is suppressible by its name. */
  @Test
  void bugPattern_presentAndSuppressible() {
    for (BugChecker checker : ServiceLoader.load(BugChecker.class)) {
      if (!checker.getClass().getPackageName().equals("io.lifecycle.errorprone")) {
        continue;
      }
      BugPattern pattern = checker.getClass().getAnnotation(BugPattern.class);
      assertNotNull(pattern, checker.getClass().getName());
      assertFalse(pattern.summary().isEmpty(), checker.canonicalName());
      assertEquals(checker.getClass().getSimpleName(), checker.canonicalName());
      assertEquals(true, checker.supportsSuppressWarnings(), checker.canonicalName());
    }
  }

  /** Each check links to its own section of the module README, and that section exists. */
  @Test
  void bugPattern_linksToItsReadmeSection() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (String check : CHECKS) {
      BugChecker checker =
          ServiceLoader.load(BugChecker.class).stream()
              .map(ServiceLoader.Provider::get)
              .filter(c -> c.canonicalName().equals(check))
              .findFirst()
              .orElseThrow();
      BugPattern pattern = checker.getClass().getAnnotation(BugPattern.class);
      assertEquals(BugPattern.LinkType.CUSTOM, pattern.linkType(), check);
      assertEquals(
          "lifecycle-errorprone/README.md#" + check.toLowerCase(Locale.ROOT), pattern.link(), check);
      assertTrue(readme.contains("\n### " + check + "\n"), "README has no section " + check);
    }
  }
}
