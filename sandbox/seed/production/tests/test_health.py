import unittest

from service.health import health


class HealthTest(unittest.TestCase):
    def test_ok(self):
        self.assertEqual(health({"db": True, "cache": True}), {"status": "ok", "failing": []})

    def test_degraded(self):
        self.assertEqual(health({"db": False, "cache": True}), {"status": "degraded", "failing": ["db"]})


if __name__ == "__main__":
    unittest.main()
