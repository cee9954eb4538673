package io.lifecycle.jmh;

/**
 * The contract of the {@code impl} {@code @Param} enum of every benchmark class: each constant is
 * either lifecycle or an anchor, and a lifecycle constant names the anchor it is judged against.
 * {@link Run} uses it to print each result beside its anchor, measured in the same run.
 */
interface Candidate {
  /** Returns the name of the anchor constant this one is compared to, or null for an anchor. */
  String anchor();

  /** Returns whether this constant is an anchor (not lifecycle). */
  default boolean isAnchor() {
    return anchor() == null;
  }
}
