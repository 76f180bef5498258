//! A built-in catalogue of a few hundred plausible products, generated from the seed.
//! Search picks from it by query words, enrich and extraction fill fields from the
//! best-matching product, and every value is shaped by the requested column type.

use serde_json::{json, Map, Value};

use super::schema::Column;
use crate::hash::{fnv, Rng};

struct Category {
    name: &'static str,
    words: &'static [&'static str],
    brands: &'static [&'static str],
    nouns: &'static [&'static str],
    price: (f64, f64),
    weight: (f64, f64),
    materials: &'static [&'static str],
    features: &'static [&'static str],
}

const CATEGORIES: &[Category] = &[
    Category {
        name: "Headphones",
        words: &["headphone", "earbud", "earphone", "audio", "headset", "wireless"],
        brands: &["Sony", "Bose", "Sennheiser", "JBL", "Audio-Technica"],
        nouns: &[
            "Wireless Headphones",
            "Noise Cancelling Headphones",
            "True Wireless Earbuds",
            "Studio Headphones",
            "Sport Earbuds",
        ],
        price: (29.0, 449.0),
        weight: (0.04, 0.35),
        materials: &["plastic", "aluminium", "memory foam", "silicone"],
        features: &[
            "Active noise cancellation",
            "30-hour battery life",
            "USB-C charging",
            "Bluetooth 5.3",
            "Multipoint pairing",
            "Built-in microphone",
            "IPX4 water resistance",
            "Foldable design",
        ],
    },
    Category {
        name: "Laptops",
        words: &["laptop", "notebook", "ultrabook", "computer", "pc"],
        brands: &["Lenovo", "Dell", "HP", "Apple", "Asus"],
        nouns: &[
            "Ultrabook 14\"",
            "Gaming Laptop 16\"",
            "Notebook 15.6\"",
            "2-in-1 Convertible 13\"",
            "Workstation Laptop 15\"",
        ],
        price: (449.0, 2899.0),
        weight: (0.98, 2.6),
        materials: &["aluminium", "magnesium alloy", "plastic", "carbon fibre"],
        features: &[
            "16 GB RAM",
            "512 GB SSD",
            "OLED display",
            "Backlit keyboard",
            "Wi-Fi 6E",
            "Thunderbolt 4",
            "Fingerprint reader",
            "18-hour battery life",
        ],
    },
    Category {
        name: "Smartphones",
        words: &["phone", "smartphone", "mobile", "cellphone"],
        brands: &["Samsung", "Apple", "Google", "Xiaomi", "Motorola"],
        nouns: &[
            "Smartphone 128 GB",
            "Smartphone 256 GB",
            "Foldable Phone",
            "Compact Phone",
            "Rugged Phone",
        ],
        price: (159.0, 1499.0),
        weight: (0.15, 0.26),
        materials: &["glass", "aluminium", "titanium", "recycled plastic"],
        features: &[
            "5G",
            "120 Hz display",
            "Triple camera",
            "Wireless charging",
            "IP68 rating",
            "eSIM",
            "Fast charging",
            "NFC payments",
        ],
    },
    Category {
        name: "Running Shoes",
        words: &["shoe", "sneaker", "runner", "running", "trainer", "footwear"],
        brands: &["Nike", "Adidas", "Asics", "Brooks", "Hoka"],
        nouns: &[
            "Road Running Shoes",
            "Trail Running Shoes",
            "Racing Flats",
            "Cushioned Trainers",
            "Stability Running Shoes",
        ],
        price: (59.0, 249.0),
        weight: (0.19, 0.34),
        materials: &["engineered mesh", "knit", "rubber", "EVA foam"],
        features: &[
            "Responsive foam midsole",
            "Breathable upper",
            "Reflective details",
            "Rock plate",
            "Carbon plate",
            "Wide toe box",
            "Grippy outsole",
            "Recycled materials",
        ],
    },
    Category {
        name: "Coffee Makers",
        words: &["coffee", "espresso", "brewer", "machine", "barista"],
        brands: &["De'Longhi", "Breville", "Philips", "Krups", "Nespresso"],
        nouns: &[
            "Espresso Machine",
            "Drip Coffee Maker",
            "Bean-to-Cup Machine",
            "Capsule Coffee Machine",
            "Cold Brew Maker",
        ],
        price: (49.0, 1299.0),
        weight: (1.2, 11.0),
        materials: &["stainless steel", "plastic", "glass", "aluminium"],
        features: &[
            "15-bar pump",
            "Built-in grinder",
            "Milk frother",
            "Programmable timer",
            "Removable water tank",
            "Auto shut-off",
            "Thermal carafe",
            "Descaling alert",
        ],
    },
    Category {
        name: "Water Bottles",
        words: &["bottle", "flask", "tumbler", "drinkware", "hydration"],
        brands: &["Hydro Flask", "Stanley", "Klean Kanteen", "Contigo", "CamelBak"],
        nouns: &[
            "Insulated Water Bottle 750 ml",
            "Travel Mug 470 ml",
            "Trail Flask 1 l",
            "Sports Bottle 600 ml",
            "Tumbler 890 ml",
        ],
        price: (12.0, 59.0),
        weight: (0.1, 0.6),
        materials: &["stainless steel", "Tritan plastic", "glass", "silicone"],
        features: &[
            "Double-wall vacuum insulation",
            "Keeps drinks cold 24 hours",
            "Leak-proof lid",
            "BPA-free",
            "Dishwasher safe",
            "Powder-coated finish",
            "Wide mouth",
            "Carry loop",
        ],
    },
    Category {
        name: "Backpacks",
        words: &["backpack", "bag", "rucksack", "daypack", "pack"],
        brands: &["Osprey", "Deuter", "The North Face", "Fjallraven", "Patagonia"],
        nouns: &[
            "Hiking Backpack 30 l",
            "Daypack 20 l",
            "Travel Backpack 40 l",
            "Laptop Backpack 25 l",
            "Trekking Pack 55 l",
        ],
        price: (39.0, 289.0),
        weight: (0.4, 2.1),
        materials: &["recycled nylon", "polyester", "waxed canvas", "ripstop nylon"],
        features: &[
            "Padded laptop sleeve",
            "Ventilated back panel",
            "Hip belt pockets",
            "Rain cover",
            "Hydration compatible",
            "Lifetime warranty",
            "Water-repellent finish",
            "Lockable zips",
        ],
    },
    Category {
        name: "Smartwatches",
        words: &["watch", "smartwatch", "wearable", "tracker", "fitness"],
        brands: &["Garmin", "Apple", "Samsung", "Fitbit", "Amazfit"],
        nouns: &[
            "GPS Smartwatch",
            "Fitness Tracker",
            "Multisport Watch",
            "Health Smartwatch",
            "Kids Smartwatch",
        ],
        price: (49.0, 899.0),
        weight: (0.025, 0.09),
        materials: &[
            "aluminium",
            "titanium",
            "stainless steel",
            "fibre-reinforced polymer",
        ],
        features: &[
            "Heart-rate monitoring",
            "Built-in GPS",
            "Sleep tracking",
            "14-day battery life",
            "Contactless payments",
            "Always-on display",
            "Water resistant to 50 m",
            "Blood oxygen sensor",
        ],
    },
    Category {
        name: "Office Chairs",
        words: &["chair", "seat", "office", "ergonomic", "furniture"],
        brands: &["Herman Miller", "Steelcase", "IKEA", "Secretlab", "Humanscale"],
        nouns: &[
            "Ergonomic Office Chair",
            "Gaming Chair",
            "Task Chair",
            "Executive Chair",
            "Drafting Stool",
        ],
        price: (89.0, 1799.0),
        weight: (9.0, 28.0),
        materials: &["mesh", "leather", "fabric", "aluminium"],
        features: &[
            "Adjustable lumbar support",
            "4D armrests",
            "Tilt lock",
            "Breathable mesh back",
            "12-year warranty",
            "Height adjustable",
            "Headrest",
            "Recycled materials",
        ],
    },
    Category {
        name: "Vacuum Cleaners",
        words: &["vacuum", "cleaner", "hoover", "robot"],
        brands: &["Dyson", "Miele", "iRobot", "Shark", "Bosch"],
        nouns: &[
            "Cordless Stick Vacuum",
            "Robot Vacuum",
            "Canister Vacuum",
            "Handheld Vacuum",
            "Upright Vacuum",
        ],
        price: (79.0, 949.0),
        weight: (1.5, 8.5),
        materials: &["plastic", "aluminium", "polycarbonate"],
        features: &[
            "HEPA filtration",
            "60-minute runtime",
            "Self-emptying base",
            "Anti-tangle brush",
            "App control",
            "Bagless",
            "LED headlight",
            "Pet hair tool",
        ],
    },
    Category {
        name: "Cameras",
        words: &["camera", "mirrorless", "dslr", "photo", "photography"],
        brands: &["Canon", "Nikon", "Sony", "Fujifilm", "Panasonic"],
        nouns: &[
            "Mirrorless Camera Body",
            "Mirrorless Camera Kit",
            "Compact Camera",
            "Action Camera",
            "Vlogging Camera",
        ],
        price: (199.0, 3999.0),
        weight: (0.12, 0.95),
        materials: &["magnesium alloy", "polycarbonate", "aluminium"],
        features: &[
            "24 MP sensor",
            "4K 60p video",
            "In-body stabilisation",
            "Weather sealing",
            "Dual card slots",
            "Eye-tracking autofocus",
            "Flip screen",
            "Wi-Fi transfer",
        ],
    },
    Category {
        name: "Blenders",
        words: &["blender", "mixer", "smoothie", "kitchen"],
        brands: &["Vitamix", "Ninja", "KitchenAid", "Bosch", "Philips"],
        nouns: &[
            "High-Speed Blender",
            "Personal Blender",
            "Hand Blender",
            "Blender with Food Processor",
            "Vacuum Blender",
        ],
        price: (29.0, 699.0),
        weight: (0.8, 5.5),
        materials: &["stainless steel", "Tritan plastic", "glass", "die-cast metal"],
        features: &[
            "1500 W motor",
            "Variable speed",
            "Pulse function",
            "Self-cleaning",
            "BPA-free jug",
            "Pre-programmed settings",
            "Dishwasher-safe parts",
            "Tamper included",
        ],
    },
];

const SERIES: &[&str] = &[
    "Pulse", "Air", "Flex", "Nova", "Edge", "Aero", "Core", "Ultra", "Prime", "Vibe", "Summit", "Trail",
    "Zen", "Orbit", "Peak", "Wave", "Spark", "Echo", "Atlas", "Nimbus",
];
const COLORS: &[&str] = &[
    "Black",
    "White",
    "Silver",
    "Navy Blue",
    "Forest Green",
    "Graphite",
    "Red",
    "Sand Beige",
    "Slate Grey",
];
const ADJECTIVES: &[&str] = &[
    "versatile",
    "lightweight",
    "premium",
    "durable",
    "compact",
    "high-performance",
    "everyday",
    "award-winning",
];
const COUNTRIES: &[&str] = &[
    "Germany",
    "Japan",
    "China",
    "Vietnam",
    "United States",
    "Czech Republic",
    "Italy",
    "Taiwan",
];

/// Products per category: 12 categories × 25 = 300 products.
const PER_CATEGORY: usize = 25;

#[derive(Clone, Debug)]
pub struct Product {
    pub index: usize,
    pub name: String,
    pub brand: String,
    pub model: String,
    pub price: f64,
    pub description: String,
    pub category: &'static str,
    pub image_url: String,
    pub images: Vec<String>,
    pub url: String,
    pub features: Vec<String>,
    pub sku: String,
    pub gtin: String,
    pub color: &'static str,
    pub material: &'static str,
    pub weight_kg: f64,
    pub rating: f64,
    pub in_stock: bool,
    pub release_date: String,
    pub country: &'static str,
    brand_tokens: Vec<String>,
    category_tokens: Vec<String>,
    name_tokens: Vec<String>,
    other_tokens: Vec<String>,
}

pub struct Catalogue {
    pub products: Vec<Product>,
}

impl Catalogue {
    pub fn generate(seed: u64) -> Catalogue {
        let mut rng = Rng::new(seed ^ 0x1a55_0ca7_a109_0e00);
        let mut products = Vec::with_capacity(CATEGORIES.len() * PER_CATEGORY);
        for category in CATEGORIES {
            for _ in 0..PER_CATEGORY {
                let index = products.len();
                products.push(make_product(index, category, &mut rng));
            }
        }
        Catalogue { products }
    }

    /// The best product for free text (a product name, a source line); ties and no
    /// match at all fall back to a choice by hash, so the result is deterministic.
    pub fn best_match(&self, text: &str) -> (&Product, u32) {
        let tokens = query_tokens(text);
        let mut best: Option<(usize, u32)> = None;
        for (i, product) in self.products.iter().enumerate() {
            let score = product.score(&tokens);
            if score > 0 && best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        match best {
            Some((i, score)) => (&self.products[i], score),
            None => {
                let i = (fnv(&[text.as_bytes()]) % self.products.len() as u64) as usize;
                (&self.products[i], 0)
            }
        }
    }

    /// Products matching a natural-language query, best first, with a confidence.
    pub fn search(&self, query: &str, max: usize) -> Vec<(&Product, f64)> {
        let tokens = query_tokens(query);
        let (min_price, max_price) = price_bounds(query);
        let in_budget =
            |p: &Product| min_price.is_none_or(|m| p.price >= m) && max_price.is_none_or(|m| p.price <= m);
        let mut scored: Vec<(&Product, u32)> = self
            .products
            .iter()
            .filter(|p| in_budget(p))
            .map(|p| (p, p.score(&tokens)))
            .filter(|(_, score)| *score > 0)
            .collect();
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.index.cmp(&b.0.index)));
        if let Some(&(_, top)) = scored.first() {
            return scored
                .into_iter()
                .take(max)
                .enumerate()
                .map(|(rank, (p, score))| {
                    let confidence =
                        (0.6 + 0.39 * f64::from(score) / f64::from(top)) * (1.0 - 0.03 * rank as f64);
                    (p, round2(confidence))
                })
                .collect();
        }
        // Nothing matched: a deterministic, plausible-looking pick with low confidence.
        let salt = fnv(&[query.as_bytes()]);
        let mut pool: Vec<&Product> = self.products.iter().filter(|p| in_budget(p)).collect();
        if pool.is_empty() {
            pool = self.products.iter().collect();
        }
        pool.sort_by_key(|p| fnv(&[&salt.to_le_bytes(), &p.index.to_le_bytes()]));
        pool.into_iter()
            .take(max)
            .enumerate()
            .map(|(rank, p)| (p, round2(0.35 - 0.02 * rank as f64)))
            .collect()
    }
}

fn make_product(index: usize, category: &'static Category, rng: &mut Rng) -> Product {
    let brand = *rng.pick(category.brands);
    let series = *rng.pick(SERIES);
    let number = 100 * (1 + rng.below(9)) + if rng.below(3) == 0 { 50 } else { 0 };
    let noun = *rng.pick(category.nouns);
    let model = format!("{series} {number}");
    let name = format!("{brand} {model} {noun}");
    let (lo, hi) = category.price;
    let price = round2((rng.float(lo, hi)).floor() + if rng.below(2) == 0 { 0.99 } else { 0.0 });
    let color = *rng.pick(COLORS);
    let material = *rng.pick(category.materials);
    let mut features: Vec<String> = Vec::new();
    while features.len() < 4 {
        let feature = (*rng.pick(category.features)).to_owned();
        if !features.contains(&feature) {
            features.push(feature);
        }
    }
    let adjective = *rng.pick(ADJECTIVES);
    let description = format!(
        "The {name} is a {adjective} {} in {}. It offers {} and {}, with a {material} build designed for everyday use.",
        noun.to_lowercase(),
        color.to_lowercase(),
        features[0].to_lowercase(),
        features[1].to_lowercase(),
    );
    let slug = slugify(&name);
    let brand_slug = slugify(brand);
    let url = format!("https://shop.example.com/{}/{slug}", slugify(category.name));
    let image_url = format!("https://images.example.com/products/{slug}.jpg");
    let images = (1..=3)
        .map(|n| format!("https://images.example.com/products/{slug}-{n}.jpg"))
        .collect();
    let prefix: String = brand_slug
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(3)
        .collect();
    let sku = format!(
        "{}-{number}{}",
        prefix.to_uppercase(),
        (b'A' + rng.below(26) as u8) as char
    );
    let gtin = ean13(rng);
    let (wlo, whi) = category.weight;
    let release_days = crate::clock::days_from_civil(2021, 1, 1) + rng.below(1500) as i64;
    let country = COUNTRIES[rng.below(COUNTRIES.len())];
    let mut product = Product {
        index,
        name,
        brand: brand.to_owned(),
        model,
        price,
        description,
        category: category.name,
        image_url,
        images,
        url,
        features,
        sku,
        gtin,
        color,
        material,
        weight_kg: (rng.float(wlo, whi) * 1000.0).round() / 1000.0,
        rating: (rng.float(3.4, 5.0) * 10.0).round() / 10.0,
        in_stock: rng.below(5) != 0,
        release_date: crate::clock::format_date(release_days),
        country,
        brand_tokens: Vec::new(),
        category_tokens: Vec::new(),
        name_tokens: Vec::new(),
        other_tokens: Vec::new(),
    };
    product.brand_tokens = words(&product.brand);
    product.category_tokens = words(category.name);
    product
        .category_tokens
        .extend(category.words.iter().map(|w| stem(w)));
    product.category_tokens.extend(words(noun));
    product.name_tokens = words(&product.name);
    product.name_tokens.extend(words(&product.sku));
    product.other_tokens = words(&format!("{color} {material} {}", product.features.join(" ")));
    product
}

fn ean13(rng: &mut Rng) -> String {
    let mut digits: Vec<u32> = vec![4, 0];
    digits.extend((0..10).map(|_| rng.below(10) as u32));
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

impl Product {
    fn score(&self, tokens: &[String]) -> u32 {
        tokens
            .iter()
            .map(|t| {
                // Additive: a word in the brand, the category and the name counts thrice.
                let mut score = 0;
                if self.brand_tokens.contains(t) {
                    score += 4;
                }
                if self.category_tokens.contains(t) {
                    score += 3;
                }
                if self.name_tokens.contains(t) {
                    score += 2;
                }
                if score == 0 && self.other_tokens.contains(t) {
                    score += 1;
                }
                score
            })
            .sum()
    }

    /// A support e-mail address at the brand's (example) domain.
    pub fn email(&self) -> String {
        format!("support@{}.example.com", slugify(&self.brand))
    }

    /// The product as a flat object of its main fields (for `json` columns).
    pub fn summary(&self) -> Value {
        json!({
            "name": self.name, "brand": self.brand, "model": self.model, "price": self.price,
            "currency": "USD", "category": self.category, "sku": self.sku, "gtin": self.gtin,
        })
    }
}

/// A product field a column key can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Brand,
    Model,
    Price,
    Currency,
    Description,
    ShortDescription,
    Category,
    Image,
    Images,
    Url,
    Features,
    Sku,
    Gtin,
    Color,
    Material,
    Weight,
    Rating,
    InStock,
    ReleaseDate,
    Country,
    Dimensions,
    Warranty,
}

/// Which product field a column key (or header, or label) means, if any.
pub fn field_of(key: &str) -> Option<Field> {
    let key = key.to_lowercase();
    let parts: Vec<&str> = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let has = |names: &[&str]| parts.iter().any(|p| names.contains(p));
    let field = if has(&["images", "gallery", "photos", "pictures"]) || key.contains("image_urls") {
        Field::Images
    } else if has(&["image", "img", "photo", "picture", "thumbnail", "thumb"]) {
        Field::Image
    } else if has(&["sku", "mpn", "part", "article", "item"]) && !has(&["name", "title"]) {
        Field::Sku
    } else if has(&["ean", "gtin", "upc", "barcode", "ean13", "isbn"]) {
        Field::Gtin
    } else if has(&["price", "cost", "msrp", "rrp", "amount"]) {
        Field::Price
    } else if has(&["currency"]) {
        Field::Currency
    } else if has(&["brand", "manufacturer", "vendor", "make", "maker"]) {
        Field::Brand
    } else if has(&["short", "summary", "tagline", "subtitle"]) {
        Field::ShortDescription
    } else if has(&["description", "desc", "details", "about", "copy"]) {
        Field::Description
    } else if has(&["category", "type", "department", "group", "segment"]) {
        Field::Category
    } else if has(&["url", "link", "website", "page", "href", "source"]) {
        Field::Url
    } else if has(&[
        "features",
        "feature",
        "highlights",
        "bullets",
        "tags",
        "keywords",
        "specs",
    ]) {
        Field::Features
    } else if has(&["color", "colour", "colors", "colours"]) {
        Field::Color
    } else if has(&["material", "materials", "fabric"]) {
        Field::Material
    } else if has(&["weight", "mass", "kg"]) {
        Field::Weight
    } else if has(&["rating", "stars", "score", "review", "reviews"]) {
        Field::Rating
    } else if has(&["stock", "available", "availability", "instock"]) {
        Field::InStock
    } else if has(&["date", "released", "release", "launch", "year"]) {
        Field::ReleaseDate
    } else if has(&["country", "origin", "made"]) {
        Field::Country
    } else if has(&["dimensions", "size", "dimension"]) {
        Field::Dimensions
    } else if has(&["warranty", "guarantee"]) {
        Field::Warranty
    } else if has(&["model"]) {
        Field::Model
    } else if has(&["name", "title", "product", "label"]) {
        Field::Name
    } else {
        return None;
    };
    Some(field)
}

/// The raw value of a field for a product.
pub fn field_value(product: &Product, field: Field) -> Value {
    match field {
        Field::Name => json!(product.name),
        Field::Brand => json!(product.brand),
        Field::Model => json!(product.model),
        Field::Price => json!(product.price),
        Field::Currency => json!("USD"),
        Field::Description => json!(product.description),
        Field::ShortDescription => json!(format!(
            "{} with {}",
            product.name,
            product.features[0].to_lowercase()
        )),
        Field::Category => json!(product.category),
        Field::Image => json!(product.image_url),
        Field::Images => json!(product.images),
        Field::Url => json!(product.url),
        Field::Features => json!(product.features),
        Field::Sku => json!(product.sku),
        Field::Gtin => json!(product.gtin),
        Field::Color => json!(product.color),
        Field::Material => json!(product.material),
        Field::Weight => json!(product.weight_kg),
        Field::Rating => json!(product.rating),
        Field::InStock => json!(product.in_stock),
        Field::ReleaseDate => json!(product.release_date),
        Field::Country => json!(product.country),
        Field::Dimensions => {
            let h = 5 + (product.index * 7) % 40;
            json!(format!(
                "{} x {} x {} cm",
                h,
                4 + (product.index * 3) % 30,
                2 + product.index % 20
            ))
        }
        Field::Warranty => json!(format!("{} years", 1 + product.index % 3)),
    }
}

/// A value for `column` about `product`, shaped by the column's type. `salt` varies
/// values that are not product fields (e.g. per row), deterministically.
pub fn value_for(product: &Product, column: &Column, salt: u64) -> Value {
    let field = field_of(&column.key).or_else(|| field_of(&column.label));
    let raw = match field {
        Some(field) => field_value(product, field),
        None => generic_value(product, column, salt),
    };
    coerce(raw, column, product, salt)
}

fn generic_value(product: &Product, column: &Column, salt: u64) -> Value {
    let h = fnv(&[
        column.key.as_bytes(),
        &salt.to_le_bytes(),
        &product.index.to_le_bytes(),
    ]);
    match column.ty.as_str() {
        "number" => json!(((h % 100_000) as f64) / 100.0),
        "boolean" => json!(h % 2 == 0),
        _ => json!(product.features[(h % product.features.len() as u64) as usize]),
    }
}

/// Converts a value to the shape of a column type (lasso-api.md §1.11).
pub fn coerce(value: Value, column: &Column, product: &Product, salt: u64) -> Value {
    let text = || match &value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match column.ty.as_str() {
        "number" => match &value {
            Value::Number(_) => value,
            _ => first_number(&text()).map(|n| json!(n)).unwrap_or_else(|| {
                json!(((fnv(&[&salt.to_le_bytes(), column.key.as_bytes()]) % 1000) as f64) / 10.0)
            }),
        },
        "boolean" => match &value {
            Value::Bool(_) => value,
            _ => json!(!matches!(
                text().to_lowercase().as_str(),
                "" | "false" | "no" | "0"
            )),
        },
        "tags" => match value {
            Value::Array(_) => value,
            _ => json!(text()
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()),
        },
        "images" | "files" => match value {
            Value::Array(ref items)
                if items
                    .iter()
                    .all(|v| v.as_str().is_some_and(|s| s.starts_with("http"))) =>
            {
                value
            }
            _ => json!(product.images),
        },
        "image" => match value {
            Value::String(ref s) if s.starts_with("http") => value,
            _ => json!(product.image_url),
        },
        "file" => json!(product.url),
        "url" => match value {
            Value::String(ref s) if s.starts_with("http") => value,
            _ => json!(product.url),
        },
        "email" => json!(product.email()),
        "date" => match value {
            Value::String(ref s) if crate::clock::parse_date_or_datetime(s).is_some() => value,
            _ => json!(product.release_date),
        },
        "richtext" => json!(format!("<p>{}</p>", text())),
        "enum" => {
            let options = column.enum_values.as_deref().unwrap_or_default();
            if options.is_empty() {
                return json!(text());
            }
            let wanted = text().to_lowercase();
            let hit = options.iter().find(|o| {
                let o = o.to_lowercase();
                !o.is_empty() && (wanted.contains(&o) || o.contains(&wanted) && !wanted.is_empty())
            });
            let pick = hit.unwrap_or(
                &options[(fnv(&[&salt.to_le_bytes(), wanted.as_bytes()]) % options.len() as u64) as usize],
            );
            json!(pick)
        }
        "json" => match value {
            Value::Object(_) => value,
            _ => product.summary(),
        },
        "relation" => json!(product.sku),
        _ => json!(text()),
    }
}

/// Shapes a whole product into an object keyed by the columns.
pub fn shape(product: &Product, columns: &[Column], salt: u64) -> Map<String, Value> {
    columns
        .iter()
        .map(|c| (c.key.clone(), value_for(product, c, salt)))
        .collect()
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The first decimal number in a text (`"$1,299.00"` → 1299.0, `"24,90 EUR"` → 24.9).
pub fn first_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    let mut end = start;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.' || bytes[end] == b',') {
        end += 1;
    }
    let raw = text[start..end].trim_end_matches(['.', ',']);
    // "1,299.00" (thousands separator) vs "24,90" (decimal comma).
    let normalised = if raw.contains('.') {
        raw.replace(',', "")
    } else if let Some((whole, frac)) = raw.rsplit_once(',') {
        if frac.len() == 3 {
            format!("{}{}", whole.replace(',', ""), frac)
        } else {
            format!("{}.{}", whole.replace(',', ""), frac)
        }
    } else {
        raw.to_owned()
    };
    normalised.parse().ok()
}

const STOPWORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "for", "with", "in", "of", "to", "under", "over", "below", "above",
    "less", "more", "than", "best", "cheap", "buy", "new", "top", "me", "find", "show", "i", "want", "that",
    "is", "are", "on", "at", "by", "from", "my", "up", "max", "min", "least", "most", "usd", "eur", "price",
];

fn stem(word: &str) -> String {
    let word = word.to_lowercase();
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_owned()
    } else {
        word
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect()
}

/// Meaningful lowercase words of a query.
pub fn query_tokens(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !STOPWORDS.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Price limits written in a query: "under $200", "over 50", "less than €80".
fn price_bounds(query: &str) -> (Option<f64>, Option<f64>) {
    let lower = query.to_lowercase();
    let tokens: Vec<&str> = lower.split_whitespace().collect();
    let (mut min, mut max) = (None, None);
    for (i, token) in tokens.iter().enumerate() {
        let next = |skip: usize| tokens.get(i + skip).and_then(|t| amount(t));
        match *token {
            "under" | "below" | "<" | "max" | "cheaper" | "within" => {
                max = next(1).or_else(|| next(2)).or(max)
            }
            "less" | "up" => max = next(2).or(max),
            "over" | "above" | ">" | "min" | "from" => min = next(1).or(min),
            "more" | "least" => min = next(2).or(min),
            _ => {}
        }
    }
    (min, max)
}

fn amount(token: &str) -> Option<f64> {
    let trimmed = token.trim_matches(|c: char| !c.is_ascii_digit() && c != '.' && c != ',');
    if trimmed.is_empty() || !token.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let value = first_number(trimmed)?;
    let scaled = if token.ends_with('k') {
        value * 1000.0
    } else {
        value
    };
    Some(scaled)
}

pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(key: &str, ty: &str) -> Column {
        Column::simple(1, key, key, ty)
    }

    #[test]
    fn deterministic_and_sized() {
        let a = Catalogue::generate(42);
        let b = Catalogue::generate(42);
        let c = Catalogue::generate(7);
        assert_eq!(a.products.len(), 300);
        assert_eq!(a.products[5].name, b.products[5].name);
        assert!(a.products.iter().zip(&c.products).any(|(x, y)| x.name != y.name));
    }

    #[test]
    fn search_matches_words_and_budget() {
        let cat = Catalogue::generate(42);
        let hits = cat.search("Sony wireless headphones under $200", 7);
        assert!(!hits.is_empty());
        for (p, confidence) in &hits {
            assert!(p.price <= 200.0, "{} {}", p.name, p.price);
            assert!((0.0..=1.0).contains(confidence));
        }
        assert_eq!(hits[0].0.brand, "Sony");
        assert!(hits.len() <= 7);
        assert_eq!(cat.search("zzzz qqqq", 3).len(), 3);
    }

    #[test]
    fn shapes_by_type() {
        let cat = Catalogue::generate(42);
        let p = &cat.products[0];
        assert_eq!(value_for(p, &col("product_name", "text"), 0), json!(p.name));
        assert_eq!(value_for(p, &col("price", "number"), 0), json!(p.price));
        assert!(value_for(p, &col("features", "tags"), 0).is_array());
        assert!(value_for(p, &col("main_image", "image"), 0)
            .as_str()
            .unwrap()
            .starts_with("https://"));
        assert!(value_for(p, &col("in_stock", "boolean"), 0).is_boolean());
        assert_eq!(first_number("$1,299.00"), Some(1299.0));
        assert_eq!(first_number("24,90 EUR"), Some(24.9));
    }
}
