from blocker.cli import main

raise SystemExit(main())
