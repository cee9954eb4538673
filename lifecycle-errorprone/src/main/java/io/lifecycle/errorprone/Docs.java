package io.lifecycle.errorprone;

/**
 * Where each check is documented: a section of this module's README, which ships beside the
 * checks. Error Prone prints a check's link after its message.
 *
 * <p>The project has no published web address yet, so each link names the README file and the
 * section's anchor; when it has one, only {@link #README} changes.
 */
final class Docs {
  private Docs() {}

  /** The README that documents every check, relative to the project's root. */
  static final String README = "lifecycle-errorprone/README.md";

  static final String UNBOUNDED_CACHE = README + "#unboundedcache";
  static final String UNBOUNDED_WAIT = README + "#unboundedwait";
  static final String LISTENER_NEVER_REMOVED = README + "#listenerneverremoved";
  static final String STATIC_COLLECTION_GROWS = README + "#staticcollectiongrows";
  static final String CLEANER_CAPTURES_REFERENT = README + "#cleanercapturesreferent";
}
