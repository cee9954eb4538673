package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** Tests for {@link UnboundedCache}. */
final class UnboundedCacheTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(UnboundedCache.class, getClass());

  /** A Caffeine chain with no bound is reported, whatever else it configures. */
  @Test
  void caffeineChain_unbounded() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "import java.time.Duration;",
            "class Test {",
            "  // BUG: Diagnostic contains: UnboundedCache",
            "  Cache<String, String> plain = Caffeine.newBuilder().build();",
            "  LoadingCache<String, String> expiring = Caffeine.newBuilder()",
            "      // BUG: Diagnostic contains: UnboundedCache",
            "      .expireAfterWrite(Duration.ofMinutes(5)).build(k -> k);",
            "  // BUG: Diagnostic contains: UnboundedCache",
            "  AsyncCache<Object, Object> weak = Caffeine.newBuilder().weakKeys().buildAsync();",
            "  // BUG: Diagnostic contains: UnboundedCache",
            "  Cache<Object, Object> soft = Caffeine.newBuilder().softValues().recordStats().build();",
            "}")
        .doTest();
  }

  /** A Guava CacheBuilder chain with no bound is reported, with or without a loader. */
  @Test
  void guavaChain_unbounded() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.google.common.cache.*;",
            "class Test {",
            "  // BUG: Diagnostic contains: CacheBuilder chain sets neither",
            "  Cache<String, String> plain = CacheBuilder.newBuilder().weakValues().build();",
            "  LoadingCache<String, String> loading = CacheBuilder.newBuilder().softValues()",
            "      // BUG: Diagnostic contains: UnboundedCache",
            "      .build(CacheLoader.from(k -> k));",
            "}")
        .doTest();
  }

  /** Bounded chains, by size or by weight, are not reported. */
  @Test
  void chain_bounded() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "class Test {",
            "  Cache<String, String> size = Caffeine.newBuilder().maximumSize(100).weakKeys().build();",
            "  Cache<String, String> weight = Caffeine.newBuilder()",
            "      .maximumWeight(1_000).weigher((String k, String v) -> v.length()).build();",
            "  com.google.common.cache.Cache<String, String> guava =",
            "      com.google.common.cache.CacheBuilder.newBuilder().maximumSize(10).build();",
            "}")
        .doTest();
  }

  /** A local builder bounded by another statement is not reported; an unbounded one is. */
  @Test
  void localBuilder_boundedInAnotherStatement() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "import java.time.Duration;",
            "class Test {",
            "  Cache<Object, Object> bounded(boolean stats) {",
            "    Caffeine<Object, Object> builder = Caffeine.newBuilder();",
            "    builder.maximumSize(1_000);",
            "    if (stats) {",
            "      builder.recordStats();",
            "    }",
            "    return builder.expireAfterAccess(Duration.ofMinutes(1)).build();",
            "  }",
            "  Cache<Object, Object> reassigned() {",
            "    Caffeine<Object, Object> builder;",
            "    builder = Caffeine.newBuilder().maximumSize(10);",
            "    return builder.build();",
            "  }",
            "  Cache<Object, Object> unbounded() {",
            "    Caffeine<Object, Object> builder = Caffeine.newBuilder();",
            "    builder.recordStats();",
            "    // BUG: Diagnostic contains: UnboundedCache",
            "    return builder.build();",
            "  }",
            "}")
        .doTest();
  }

  /** A builder made by a helper method is judged by what the helper returns. */
  @Test
  void fluentHelper_followedThroughReturns() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "import java.time.Duration;",
            "class Test {",
            "  private static Caffeine<Object, Object> bounded(long size) {",
            "    return Caffeine.newBuilder().maximumSize(size);",
            "  }",
            "  private static Caffeine<Object, Object> boundedLocal() {",
            "    Caffeine<Object, Object> b = Caffeine.newBuilder();",
            "    b.maximumWeight(10).weigher((Object k, Object v) -> 1);",
            "    return b;",
            "  }",
            "  private static Caffeine<Object, Object> withStats() {",
            "    return bounded(10).recordStats();",
            "  }",
            "  private static Caffeine<Object, Object> unbounded() {",
            "    return Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(1));",
            "  }",
            "  Cache<Object, Object> a = bounded(100).expireAfterAccess(Duration.ofMinutes(1)).build();",
            "  Cache<Object, Object> b = boundedLocal().build();",
            "  Cache<Object, Object> c = withStats().build();",
            "  // BUG: Diagnostic contains: UnboundedCache",
            "  Cache<Object, Object> d = unbounded().build();",
            "  Cache<Object, Object> viaLocal() {",
            "    Caffeine<Object, Object> builder = bounded(5);",
            "    return builder.build();",
            "  }",
            "}")
        .doTest();
  }

  /** A builder whose origin cannot be seen is not reported. */
  @Test
  void unknownOrigin_notReported() {
    helper
        .addSourceLines(
            "Base.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "class Base {",
            "  protected Caffeine<Object, Object> builder() { return Caffeine.newBuilder(); }",
            "}")
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "import java.util.function.Supplier;",
            "class Test extends Base {",
            "  private final Caffeine<Object, Object> field = Caffeine.newBuilder();",
            "  Cache<Object, Object> fromParameter(Caffeine<Object, Object> builder) {",
            "    return builder.build();",
            "  }",
            "  Cache<Object, Object> fromField() { return field.build(); }",
            "  Cache<Object, Object> fromSpec(String spec) { return Caffeine.from(spec).build(); }",
            "  Cache<Object, Object> fromOverridable() { return builder().build(); }",
            "  Cache<Object, Object> fromSupplier(Supplier<Caffeine<Object, Object>> s) {",
            "    return s.get().build();",
            "  }",
            "  Cache<Object, Object> configuredElsewhere() {",
            "    Caffeine<Object, Object> builder = Caffeine.newBuilder();",
            "    configure(builder);",
            "    return builder.build();",
            "  }",
            "  private static void configure(Caffeine<Object, Object> b) { b.maximumSize(1); }",
            "}")
        .doTest();
  }

  /** When one possible origin is bounded and another unbounded, nothing is reported. */
  @Test
  void mixedOrigins_notReported() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "class Test {",
            "  Cache<Object, Object> either(boolean small) {",
            "    return (small ? Caffeine.newBuilder().maximumSize(10) : Caffeine.newBuilder())",
            "        .build();",
            "  }",
            "  Cache<Object, Object> both(boolean small) {",
            "    // BUG: Diagnostic contains: UnboundedCache",
            "    return (small ? Caffeine.newBuilder().weakKeys() : Caffeine.newBuilder()).build();",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A weakKeys-only cache counts as unbounded by count, whatever its keys: Class-keyed ones too,
   * by default.
   */
  @Test
  void weakClassKeys_reportedByDefault() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.google.common.cache.*;",
            "import java.util.List;",
            "class Test {",
            "  LoadingCache<Class<?>, List<String>> methods =",
            "      // BUG: Diagnostic contains: UnboundedCache",
            "      CacheBuilder.newBuilder().weakKeys().build(CacheLoader.from(c -> List.of()));",
            "  com.github.benmanes.caffeine.cache.Cache<ClassLoader, String> loaders =",
            "      // BUG: Diagnostic contains: UnboundedCache",
            "      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakKeys().build();",
            "}")
        .doTest();
  }

  /** -XepOpt:UnboundedCache:AllowWeakClassKeys=true exempts exactly weak Class/ClassLoader keys. */
  @Test
  void weakClassKeys_exemptWithFlag() {
    CompilationTestHelper.newInstance(UnboundedCache.class, getClass())
        .setArgs("-XepOpt:UnboundedCache:AllowWeakClassKeys=true")
        .addSourceLines(
            "Test.java",
            "import com.google.common.cache.*;",
            "import java.util.List;",
            "class Test {",
            "  LoadingCache<Class<?>, List<String>> methods =",
            "      CacheBuilder.newBuilder().weakKeys().build(CacheLoader.from(c -> List.of()));",
            "  // BUG: Diagnostic contains: UnboundedCache",
            "  Cache<Class<?>, String> strong = CacheBuilder.newBuilder().build();",
            "  // BUG: Diagnostic contains: UnboundedCache",
            "  Cache<Object, String> weakObjects = CacheBuilder.newBuilder().weakKeys().build();",
            "}")
        .doTest();
  }

  /** The message names the cause and the fix. */
  @Test
  void message_namesCauseAndFix() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "class Test {",
            "  // BUG: Diagnostic contains: Unbounded cache: this Caffeine chain sets neither"
                + " maximumSize nor maximumWeight, so nothing evicts entries by count and the"
                + " cache grows with its key set; add maximumSize(n), or maximumWeight(n) with a"
                + " weigher",
            "  Cache<String, String> c = Caffeine.newBuilder().build();",
            "}")
        .doTest();
  }

  /** The usual suppression works. */
  @Test
  void suppressWarnings_suppresses() {
    helper
        .addSourceLines(
            "Test.java",
            "import com.github.benmanes.caffeine.cache.*;",
            "class Test {",
            "  @SuppressWarnings(\"UnboundedCache\")",
            "  Cache<String, String> c = Caffeine.newBuilder().build();",
            "}")
        .doTest();
  }
}
