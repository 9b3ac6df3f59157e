from blocker.cli.main import main

raise SystemExit(main())
