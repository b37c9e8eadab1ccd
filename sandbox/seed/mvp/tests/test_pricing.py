import unittest

from app.pricing import price


class PriceTest(unittest.TestCase):
    def test_tiers(self):
        self.assertEqual(price(10), 5.0)
        self.assertEqual(price(50), 12.0)
        self.assertEqual(price(90), 25.0)

    def test_volume_discount(self):
        self.assertEqual(price(90, volume=100), 2250.0)

    def test_rejects_out_of_range(self):
        with self.assertRaises(ValueError):
            price(101)


if __name__ == "__main__":
    unittest.main()
