"""Entry points for CI systems and git hooks, above the command line they reuse.

- :mod:`pgdrift.ci.github_action`: what the GitHub Action (``action.yml``) runs;
- :mod:`pgdrift.ci.pre_commit`: the drift check of the pre-commit hook ``pgdrift-drift``
  (``.pre-commit-hooks.yaml``; ``pgdrift-lint`` is ``pgdrift lint`` as it is).

docs/ci.md shows both in use.
"""
