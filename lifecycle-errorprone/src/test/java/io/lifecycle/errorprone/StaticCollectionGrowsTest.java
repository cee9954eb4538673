package io.lifecycle.errorprone;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** Tests for {@link StaticCollectionGrows}. */
final class StaticCollectionGrowsTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(StaticCollectionGrows.class, getClass());

  /** Maps, collections and multimaps that only grow are reported, at the field. */
  @Test
  void growingStatic_reported() {
    helper
        .addSourceLines(
            "Registry.java",
            "import com.google.common.collect.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Registry {",
            "  // BUG: Diagnostic contains: SESSIONS is added to (line 12)",
            "  private static final Map<String, Object> SESSIONS = new ConcurrentHashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final List<Object> HISTORY = new ArrayList<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Multimap<String, Object> BY_ROOM = ArrayListMultimap.create();",
            "  static void join(String id, Object session) {",
            "    SESSIONS.put(id, session);",
            "    HISTORY.add(session);",
            "    BY_ROOM.get(id).add(session);",
            "  }",
            "  static Object find(String id) { return SESSIONS.get(id); }",
            "  static int count() { return HISTORY.size() + BY_ROOM.size(); }",
            "}")
        .doTest();
  }

  /** Growth through computeIfAbsent, merge, a method reference or Collections.addAll counts. */
  @Test
  void otherGrowthForms_reported() {
    helper
        .addSourceLines(
            "Memo.java",
            "import java.util.*;",
            "import java.util.function.Function;",
            "class Memo {",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<Object, String> NAMES = new HashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Integer> COUNTS = new HashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Set<String> SEEN = new HashSet<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Deque<String> STACK = new ArrayDeque<>();",
            "  static String name(Object o) { return NAMES.computeIfAbsent(o, String::valueOf); }",
            "  static void count(String key) { COUNTS.merge(key, 1, Integer::sum); }",
            "  static void see(List<String> keys) { keys.forEach(SEEN::add); }",
            "  static void push(String... items) { Collections.addAll(STACK, items); }",
            "}")
        .doTest();
  }

  /** Any removal, on the field, a view or an iterator alias, in any method, is enough. */
  @Test
  void removedSomewhere_notReported() {
    helper
        .addSourceLines(
            "Registry.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Registry {",
            "  private static final Map<String, Object> A = new ConcurrentHashMap<>();",
            "  private static final Map<String, Object> B = new HashMap<>();",
            "  private static final Map<String, Object> C = new HashMap<>();",
            "  private static final List<Object> D = new ArrayList<>();",
            "  private static final Queue<Object> E = new ConcurrentLinkedQueue<>();",
            "  private static final Map<String, Object> F = new HashMap<>();",
            "  private static Map<String, Object> G = new HashMap<>();",
            "  private static final Map<String, Integer> H = new HashMap<>();",
            "  static void add(String k, Object v) {",
            "    A.put(k, v); B.put(k, v); C.put(k, v); D.add(v); E.offer(v); F.put(k, v); G.put(k, v);",
            "    H.merge(k, 1, Integer::sum);",
            "  }",
            "  static void leave(String k) { A.remove(k); }",
            "  static void expire() { B.values().removeIf(Objects::isNull); }",
            "  static void sweep() {",
            "    for (Iterator<Map.Entry<String, Object>> it = C.entrySet().iterator(); it.hasNext();) {",
            "      if (it.next().getValue() == null) {",
            "        it.remove();",
            "      }",
            "    }",
            "  }",
            "  static void reset() { D.clear(); G = new HashMap<>(); }",
            "  static Object next() { return E.poll(); }",
            "  static void trim() { F.keySet().retainAll(Set.of(\"a\")); }",
            "  static void release(String k) { H.compute(k, (key, n) -> n == 1 ? null : n - 1); }",
            "}")
        .doTest();
  }

  /** Growth during static initialisation, or in a private method only it calls, is not growth. */
  @Test
  void staticInitialisation_notReported() {
    helper
        .addSourceLines(
            "Codes.java",
            "import java.util.*;",
            "class Codes {",
            "  private static final Map<String, Integer> CODES = new HashMap<>();",
            "  private static final List<String> NAMES = new ArrayList<>();",
            "  private static final Set<String> KEYS = new HashSet<>(List.of(\"a\"));",
            "  private static final int FIRST = register(\"first\", 1);",
            "  static {",
            "    register(\"ok\", 200);",
            "    List.of(\"x\", \"y\").forEach(n -> NAMES.add(n));",
            "  }",
            "  private static int register(String name, int code) {",
            "    CODES.put(name, code);",
            "    return code;",
            "  }",
            "  static Integer code(String name) { return CODES.get(name); }",
            "  static boolean known(String k) { return KEYS.contains(k) || NAMES.contains(k); }",
            "}")
        .doTest();
  }

  /** A registration method the class calls from its own static initialiser fills a table. */
  @Test
  void registrationMethodUsedAtInit_notReported() {
    helper
        .addSourceLines(
            "Commands.java",
            "import java.util.*;",
            "class Commands {",
            "  private static final Map<String, Runnable> COMMANDS = new HashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final List<Runnable> LATE = new ArrayList<>();",
            "  static {",
            "    register(\"noop\", () -> {});",
            "  }",
            "  public static void register(String name, Runnable command) {",
            "    COMMANDS.put(name, command);",
            "  }",
            "  public static void registerLate(Runnable command) { LATE.add(command); }",
            "  static Runnable find(String name) { return COMMANDS.get(name); }",
            "  static int late() { return LATE.size(); }",
            "}")
        .doTest();
  }

  /**
   * A key computed at run time is unbounded whatever its type: the session map and the pending
   * map are the classic leaks, and an int or a Class key is no bound either. Only keys that the
   * source text bounds (constants, class literals, enum constants) are not growth.
   */
  @Test
  void runtimeKeys_reported() {
    helper
        .addSourceLines(
            "Sessions.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Sessions {",
            "  enum Kind { A, B }",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Object> SESSIONS = new ConcurrentHashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<Long, Runnable> PENDING = new ConcurrentHashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<Integer, String> PERMS = new ConcurrentHashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<Class<?>, String> NAMES = new ConcurrentHashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final List<String> LOG = new ArrayList<>();",
            "  private static final Map<Object, Object> BY_CONSTANT = new HashMap<>();",
            "  private static final Set<Object> FLAGS = new HashSet<>();",
            "  static Object session(String sessionId) {",
            "    return SESSIONS.computeIfAbsent(sessionId, id -> new Object());",
            "  }",
            "  static void pending(long id, Runnable r) { PENDING.put(id, r); }",
            "  static String perm(int bits) { return PERMS.computeIfAbsent(bits, Integer::toBinaryString); }",
            "  static String name(Class<?> type) { return NAMES.computeIfAbsent(type, Class::getName); }",
            "  static void constants(Object value) {",
            "    BY_CONSTANT.put(\"scheme\", value);",
            "    BY_CONSTANT.put(Sessions.class, value);",
            "    BY_CONSTANT.put(Kind.A, value);",
            "    BY_CONSTANT.putIfAbsent(42, value);",
            "    FLAGS.add(\"seen\");",
            "    LOG.add(\"again\");",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Non-private fields are checked too: a public list added to and never drained in its class
   * grows. One that escapes (returned, passed on) may be drained elsewhere and is not reported.
   */
  @Test
  void nonPrivateField_reported() {
    helper
        .addSourceLines(
            "Registry.java",
            "import java.util.*;",
            "public class Registry {",
            "  // BUG: Diagnostic contains: if another class drains this non-private field",
            "  public static final List<Object> LISTENERS = new ArrayList<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  static final Map<String, Object> BY_NAME = new HashMap<>();",
            "  protected static final Set<Object> HANDED_OUT = new HashSet<>();",
            "  public static void register(Object listener) {",
            "    LISTENERS.add(listener);",
            "    BY_NAME.put(listener.toString(), listener);",
            "    HANDED_OUT.add(listener);",
            "  }",
            "  static Set<Object> handedOut() { return HANDED_OUT; }",
            "}")
        .doTest();
  }

  /**
   * A compute whose function returns null only where the old value is null adds an entry or
   * updates it, and never removes one: it is growth, not a drain. A null returned for a present
   * value does remove.
   */
  @Test
  void computeReturningNullOnlyWhenAbsent_isNotADrain() {
    helper
        .addSourceLines(
            "Counts.java",
            "import java.util.*;",
            "class Counts {",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Integer> TERNARY = new HashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Integer> EARLY_EXIT = new HashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Integer> IF_ELSE = new HashMap<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Integer> PRESENT_ONLY = new HashMap<>();",
            "  private static final Map<String, Integer> RELEASED = new HashMap<>();",
            "  private static final Map<String, Integer> MERGED = new HashMap<>();",
            "  static void count(String k) {",
            "    TERNARY.compute(k, (key, v) -> v == null ? 1 : v + 1);",
            "    EARLY_EXIT.compute(k, (key, v) -> {",
            "      if (v != null) {",
            "        return v + 1;",
            "      }",
            "      return null;",
            "    });",
            "    IF_ELSE.put(k, 0);",
            "    IF_ELSE.compute(k, (key, v) -> { if (v == null) { return null; } else { return v + 1; } });",
            "    PRESENT_ONLY.put(k, 1);",
            "    PRESENT_ONLY.computeIfPresent(k, (key, v) -> v + 1);",
            "    RELEASED.compute(k, (key, v) -> v != null && v > 1 ? v - 1 : null);",
            "    MERGED.merge(k, 1, (a, b) -> a + b == 0 ? null : a + b);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A method counts as static initialisation only if every call to it is: a registration method
   * that static initialisation and a request path both call grows at run time.
   */
  @Test
  void methodAlsoCalledAtRunTime_reported() {
    helper
        .addSourceLines(
            "Handlers.java",
            "import java.util.*;",
            "class Handlers {",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final Map<String, Runnable> HANDLERS = new HashMap<>();",
            "  static {",
            "    register(\"noop\", () -> {});",
            "  }",
            "  private static void register(String name, Runnable handler) {",
            "    HANDLERS.put(name, handler);",
            "  }",
            "  static void onRequest(String session) {",
            "    register(session, () -> {});",
            "  }",
            "  static Runnable find(String name) { return HANDLERS.get(name); }",
            "}")
        .doTest();
  }

  /** A field that escapes may be drained elsewhere; a read-only copy or view is not an escape. */
  @Test
  void escapingField_notReported() {
    helper
        .addSourceLines(
            "Registry.java",
            "import java.util.*;",
            "class Registry {",
            "  private static final List<Object> RETURNED = new ArrayList<>();",
            "  private static final List<Object> PASSED = new ArrayList<>();",
            "  // BUG: Diagnostic contains: StaticCollectionGrows",
            "  private static final List<Object> COPIED = new ArrayList<>();",
            "  static void add(Object o) { RETURNED.add(o); PASSED.add(o); COPIED.add(o); }",
            "  static List<Object> all() { return RETURNED; }",
            "  static void handOff(Sink sink) { sink.drain(PASSED); }",
            "  static List<Object> snapshot() { return new ArrayList<>(COPIED); }",
            "  static List<Object> view() { return Collections.unmodifiableList(COPIED); }",
            "  interface Sink { void drain(List<Object> items); }",
            "}")
        .doTest();
  }

  /** Immutable, bounded, weak, enum-keyed and non-static fields are not reported. */
  @Test
  void boundedOrImmutable_notReported() {
    helper
        .addSourceLines(
            "Lru.java",
            "import java.util.*;",
            "class Lru<K, V> extends LinkedHashMap<K, V> {",
            "  @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {",
            "    return size() > 100;",
            "  }",
            "}")
        .addSourceLines(
            "Fields.java",
            "import com.google.common.collect.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Fields {",
            "  enum Color { RED, GREEN }",
            "  private static final ImmutableList<String> IMMUTABLE = ImmutableList.of();",
            "  private static final List<String> UNMODIFIABLE = List.of();",
            "  private static final Map<Object, Object> WEAK = new WeakHashMap<>();",
            "  private static final Map<Object, Object> WEAK_SYNC =",
            "      Collections.synchronizedMap(new WeakHashMap<>());",
            "  private static final Map<Color, Object> BY_COLOR = new HashMap<>();",
            "  private static final Set<Color> COLORS = new HashSet<>();",
            "  private static final Queue<Object> CAPPED = new ArrayBlockingQueue<>(10);",
            "  private static final BlockingQueue<Object> CAPACITY = new LinkedBlockingQueue<>(10);",
            "  private static final Queue<Object> EVICTING = EvictingQueue.create(10);",
            "  private static final Map<Object, Object> LRU = new LinkedHashMap<>(16, 0.75f, true) {",
            "    @Override protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {",
            "      return size() > 100;",
            "    }",
            "  };",
            "  protected static final Map<Object, Object> LRU_CLASS = new Lru<>();",
            "  private static final Map<Object, Object> CACHE =",
            "      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().build().asMap();",
            "  private final List<Object> instance = new ArrayList<>();",
            "  void add(Object o) {",
            "    WEAK.put(o, o); WEAK_SYNC.put(o, o); BY_COLOR.put(Color.RED, o); COLORS.add(Color.RED);",
            "    CAPPED.offer(o); CAPACITY.offer(o); EVICTING.add(o); LRU.put(o, o); CACHE.put(o, o);",
            "    instance.add(o); LRU_CLASS.put(o, o);",
            "  }",
            "}")
        .doTest();
  }

  /** The message names the cause and the fix. */
  @Test
  void message_namesCauseAndFix() {
    helper
        .addSourceLines(
            "Registry.java",
            "import java.util.*;",
            "class Registry {",
            "  // BUG: Diagnostic contains: Static collection grows: ITEMS is added to (line 5)"
                + " but never removed from or cleared in this class, so every entry stays"
                + " reachable for as long as the class is loaded; remove entries when they are"
                + " done, bound it (a cache with maximumSize), or make it an instance field with"
                + " an owner that is closed",
            "  private static final List<Object> ITEMS = new ArrayList<>();",
            "  static void add(Object o) { ITEMS.add(o); }",
            "}")
        .doTest();
  }
}
