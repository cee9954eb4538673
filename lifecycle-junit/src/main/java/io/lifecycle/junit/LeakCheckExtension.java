package io.lifecycle.junit;

import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * The extension behind {@link LeakCheck}; registered only through the annotation.
 *
 * <p>A check starts as early as JUnit lets an extension see a test: before the test instance is
 * constructed (with the test-method-scoped context JUnit offers, from 5.12 on, to {@link
 * TestInstancePreConstructCallback}s that ask for it, so that scopes opened by field
 * initializers count as the test's), or, for a {@code PER_CLASS} instance and on JUnit before
 * 5.12 (which passes the class's context, where the test is not known), in {@link #beforeEach}.
 * Either way that is before every {@code @BeforeEach} method, since JUnit runs {@link
 * BeforeEachCallback}s before them. It ends in {@link #afterEach}, which JUnit runs after every
 * {@code @AfterEach} method, of the test's class and of its enclosing classes.
 *
 * <p>The running {@link Probe} lives in the test's {@link Store} under this class's namespace,
 * keyed by the test's unique id, inside a {@link Running} that JUnit closes when the test's
 * context ends: so if a check began and {@link #afterEach} never runs (the test instance could not
 * be constructed), the leak level is restored all the same. Immutable otherwise; JUnit may call
 * it from several threads for different tests.
 *
 * <p>Works with JUnit Jupiter 5.10 and later: it uses only API that 5.10 has, a newer one (the
 * instantiation scope) only where an older JUnit never calls it, and the store value is both the
 * {@link AutoCloseable} that JUnit 5.13 and later close and the {@link
 * Store.CloseableResource} that earlier ones close.
 */
final class LeakCheckExtension
    implements TestInstancePreConstructCallback, BeforeEachCallback, AfterEachCallback {
  private static final Namespace NAMESPACE = Namespace.create(LeakCheckExtension.class);
  private static final System.Logger LOG = System.getLogger("io.lifecycle.junit");

  /** The store key of one test's check. */
  private record Key(String uniqueId) {}

  /**
   * A running check as a store value: JUnit closes it if the test's context ends before {@link
   * #afterEach} took it out. {@link AutoCloseable} for JUnit 5.13 and later, which close only that
   * once both are implemented; {@link Store.CloseableResource} for earlier ones.
   */
  @SuppressWarnings("deprecation") // CloseableResource: what JUnit before 5.13 closes
  private record Running(Probe probe) implements AutoCloseable, Store.CloseableResource {
    @Override
    public void close() {
      probe.close();
    }
  }

  private final ThreadDump dump;

  /** The extension {@link LeakCheck} registers. */
  LeakCheckExtension() {
    this(ThreadDump.JDK);
  }

  /** An extension whose checks read {@code dump}: for tests, with {@code @RegisterExtension}. */
  LeakCheckExtension(ThreadDump dump) {
    this.dump = dump;
  }

  /**
   * Asks JUnit (5.12 and later) for the test method's context before constructing a {@code
   * PER_METHOD} test instance, so that the check can start before field initializers run. Earlier
   * versions do not call this.
   */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public void preConstructTestInstance(
      TestInstanceFactoryContext factoryContext, ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      begin(context); // PER_METHOD on JUnit 5.12+: a fresh instance for this test
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    begin(context); // no-op if the check began before the instance was constructed
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    Running running = context.getStore(NAMESPACE).remove(key(context), Running.class);
    if (running == null) {
      return; // not checked (opted out), or the check never began
    }
    Probe probe = running.probe();
    Findings findings = probe.finish();
    findings.caveat().ifPresent(note -> context.publishReportEntry("lifecycle.note", note));
    if (findings.isEmpty()) {
      return;
    }
    String message = findings.message();
    if (probe.config().mode() == LeakCheck.Mode.FAIL) {
      throw new AssertionError(message);
    }
    LOG.log(Level.WARNING, () -> "leak check of " + describe(context) + ":\n" + message);
    context.publishReportEntry("lifecycle.leaks", message);
  }

  private void begin(ExtensionContext context) {
    Optional<Config> config = resolve(context);
    if (config.isEmpty()) {
      return;
    }
    context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            key(context), k -> new Running(Probe.start(config.get(), dump)), Running.class);
  }

  private static Key key(ExtensionContext context) {
    return new Key(context.getUniqueId());
  }

  private static String describe(ExtensionContext context) {
    String cls = context.getTestClass().map(Class::getName).orElse("?");
    return context.getTestMethod().map(m -> cls + "#" + m.getName()).orElse(cls)
        + " ["
        + context.getDisplayName()
        + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration: the nearest @LeakCheck decides, ignore patterns add up
  // ---------------------------------------------------------------------------------------------

  /** A {@code @LeakCheck} and where it was found. */
  private record Found(LeakCheck annotation, AnnotatedElement element) {}

  /**
   * Returns the check's configuration for the test of {@code context}, or empty if the nearest
   * {@code @LeakCheck} disables it.
   *
   * @throws ExtensionConfigurationException if an attribute is invalid
   */
  static Optional<Config> resolve(ExtensionContext context) {
    List<Found> found = new ArrayList<>();
    Set<AnnotatedElement> seen = new HashSet<>();
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      AnnotatedElement element = c.get().getElement().orElse(null);
      if (element == null || !seen.add(element)) {
        continue; // the engine, or a test template's invocation after its method
      }
      Found f =
          element instanceof Class<?> cls ? onClass(cls, new HashSet<>()) : onElement(element);
      if (f != null) {
        found.add(f);
      }
    }
    if (found.isEmpty()) {
      return Optional.of(Config.DEFAULT);
    }
    List<Pattern> threads = new ArrayList<>();
    List<Pattern> scopes = new ArrayList<>();
    for (Found f : found) {
      validate(f);
      threads.addAll(compile(f, "ignoreThreads", f.annotation().ignoreThreads()));
      scopes.addAll(compile(f, "ignoreScopes", f.annotation().ignoreScopes()));
    }
    LeakCheck nearest = found.get(0).annotation();
    if (!nearest.enabled()) {
      return Optional.empty();
    }
    return Optional.of(
        new Config(
            nearest.mode(),
            Duration.ofMillis(nearest.timeoutMillis()),
            Duration.ofMillis(nearest.lingerMillis()),
            threads,
            scopes));
  }

  /** Finds the annotation on a class, its interfaces or its superclasses, nearest first. */
  private static Found onClass(Class<?> cls, Set<Class<?>> visited) {
    if (cls == null || cls == Object.class || !visited.add(cls)) {
      return null;
    }
    Found f = onElement(cls);
    if (f != null) {
      return f;
    }
    for (Class<?> i : cls.getInterfaces()) {
      f = onClass(i, visited);
      if (f != null) {
        return f;
      }
    }
    return onClass(cls.getSuperclass(), visited);
  }

  /** Finds the annotation declared on an element, directly or on one of its annotations. */
  private static Found onElement(AnnotatedElement element) {
    LeakCheck direct = element.getDeclaredAnnotation(LeakCheck.class);
    if (direct != null) {
      return new Found(direct, element);
    }
    LeakCheck meta = meta(element, new HashSet<>());
    return meta == null ? null : new Found(meta, element);
  }

  private static LeakCheck meta(AnnotatedElement element, Set<Class<?>> visited) {
    for (Annotation a : element.getDeclaredAnnotations()) {
      Class<? extends Annotation> type = a.annotationType();
      if (type.getName().startsWith("java.lang.annotation.") || !visited.add(type)) {
        continue;
      }
      LeakCheck found = type.getDeclaredAnnotation(LeakCheck.class);
      if (found == null) {
        found = meta(type, visited);
      }
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static void validate(Found f) {
    LeakCheck a = f.annotation();
    if (a.timeoutMillis() < 0) {
      throw misuse(f, "timeoutMillis must not be negative: " + a.timeoutMillis());
    }
    if (a.lingerMillis() < 0) {
      throw misuse(f, "lingerMillis must not be negative: " + a.lingerMillis());
    }
  }

  private static List<Pattern> compile(Found f, String attribute, String[] regexes) {
    List<Pattern> out = new ArrayList<>(regexes.length);
    for (String r : regexes) {
      try {
        out.add(Pattern.compile(r));
      } catch (PatternSyntaxException e) {
        throw misuse(
            f,
            attribute
                + " holds \""
                + r
                + "\", which is not a regular expression: "
                + e.getDescription());
      }
    }
    return out;
  }

  private static ExtensionConfigurationException misuse(Found f, String problem) {
    return new ExtensionConfigurationException(
        "@"
            + LeakCheck.class.getSimpleName()
            + " on "
            + where(f.element())
            + ": "
            + problem);
  }

  private static String where(AnnotatedElement element) {
    if (element instanceof Method m) {
      return "method " + m.getDeclaringClass().getName() + "#" + m.getName() + "()";
    }
    if (element instanceof Class<?> c) {
      return (c.isInterface() ? "interface " : "class ") + c.getName();
    }
    return String.valueOf(element);
  }
}
