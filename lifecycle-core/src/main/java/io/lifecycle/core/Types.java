package io.lifecycle.core;

/**
 * What the library knows per owned resource class, looked up once per class with a {@link
 * ClassValue}: the display key, the live count it is counted in, and its {@link ResourceAdapter}.
 * Owning and releasing a resource therefore cost one class-value lookup each, not a lookup per
 * table.
 *
 * <p>Display keys are the class name without its package; a lambda or other hidden class is shown
 * by the class that declares it ({@code "Job (lambda)"}), so that every lambda of one class counts
 * under one key.
 */
final class Types {
  private Types() {}

  private static final ClassValue<TypeInfo> INFO =
      new ClassValue<>() {
        @Override
        protected TypeInfo computeValue(Class<?> type) {
          return new TypeInfo(type, compute(type));
        }
      };

  /** The per-class facts; the count and the adapter lookup are caches, refreshed when stale. */
  static final class TypeInfo {
    final Class<?> type;
    final String key;

    /**
     * The live count of {@link #key} in {@link Counters#RESOURCES}, or null. Never the overflow
     * count; replaced when it was retired. A resource counted in it keeps it from being retired,
     * so counting out through it reaches the count that was counted into.
     */
    volatile LiveCount count;

    /** The adapter lookup, valid while its version is current. */
    volatile Adapters.Lookup adapters;

    TypeInfo(Class<?> type, String key) {
      this.type = type;
      this.key = key;
    }

    /** Counts one resource of this class in; returns the count to count it out of. */
    LiveCount countIn() {
      LiveCount c = count;
      if (c != null) {
        c.increment();
        if (!c.retired) {
          return c;
        }
        c = Counters.RESOURCES.moveFromRetired(key, c);
      } else {
        c = Counters.RESOURCES.increment(key);
      }
      if (!Counters.RESOURCES.isOther(c)) {
        count = c;
      }
      return c;
    }

    /** Counts out a resource of this class counted in with {@link #countIn} (not the overflow). */
    void countOut() {
      LiveCount c = count;
      if (c == null || c.retired) {
        c = Counters.RESOURCES.current(key);
      }
      c.decrement();
    }
  }

  static TypeInfo info(Class<?> type) {
    return INFO.get(type);
  }

  static String key(Object resource) {
    return INFO.get(resource.getClass()).key;
  }

  private static String compute(Class<?> type) {
    String name = type.getName();
    int lambda = name.indexOf("$$Lambda");
    boolean hidden = type.isHidden() || lambda >= 0;
    if (hidden) {
      int cut = lambda >= 0 ? lambda : name.indexOf('/');
      if (cut > 0) {
        name = name.substring(0, cut);
      }
    }
    int dot = name.lastIndexOf('.');
    String simple = dot < 0 ? name : name.substring(dot + 1);
    return hidden ? simple + " (lambda)" : simple;
  }
}
