package io.lifecycle.core;

/**
 * Display names of owned resource types: the class name without its package; a lambda or other
 * hidden class is shown by the class that declares it ({@code "Job (lambda)"}), so that every
 * lambda of one class counts under one key.
 */
final class Types {
  private Types() {}

  private static final ClassValue<String> KEYS =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return compute(type);
        }
      };

  static String key(Class<?> type) {
    return KEYS.get(type);
  }

  static String key(Object resource) {
    return KEYS.get(resource.getClass());
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
