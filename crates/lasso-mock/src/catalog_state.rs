//! The catalog/dictionary half of a company's state: attributes, glossary terms,
//! catalog products, catalog webhook endpoints and their delivery records
//! (lasso-api.md §2.7, §2.9, §2.11, §2.12). Lives in `Company::catalog`, under the
//! company's mutex; handlers clone what they answer with and serialise after
//! releasing the lock.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::clock::{format_ms, now_ms, Millis};

/// A company attribute definition, serialised with every field of the `Attribute`
/// schema (all required there, nullable ones as `null`).
#[derive(Clone, Debug, Serialize)]
pub struct Attribute {
    pub id: String,
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub format_output_type: Option<String>,
    pub enum_values: Option<Vec<String>>,
    pub tags_values: Option<Vec<String>>,
    pub allow_custom_values: bool,
    pub boolean_config: Option<Map<String, Value>>,
    pub number_config: Option<Map<String, Value>>,
    pub relation_config: Option<Map<String, Value>>,
    pub description: Option<String>,
    pub validation: Option<Map<String, Value>>,
    pub language: Option<String>,
    pub image_config: Option<Map<String, Value>>,
    pub status: String,
    pub archived_at: Option<String>,
    pub is_reviewed: bool,
    pub source_id: Option<String>,
    pub external_id: Option<String>,
    pub source_synced_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub updated_ms: Millis,
}

/// A glossary term (`GlossaryTerm`).
#[derive(Clone, Debug, Serialize)]
pub struct GlossaryTerm {
    pub id: String,
    pub term: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub case_sensitive: bool,
    pub category: String,
    pub translations: Map<String, Value>,
    pub created_at: String,
}

/// A catalog product. Timestamps are kept as milliseconds for ordering and cursors.
#[derive(Clone, Debug)]
pub struct Product {
    pub id: String,
    pub schema_id: String,
    pub source: String,
    pub external_id: Option<String>,
    pub status: String,
    pub attributes: Map<String, Value>,
    /// Ids of product-only attributes (`attribute_extensions`).
    pub extensions: Vec<String>,
    pub created_ms: Millis,
    pub updated_ms: Millis,
    pub deleted_ms: Option<Millis>,
    /// Creation order; unique, the tie-breaker of the list orderings.
    pub seq: u64,
    /// Mutation order: set from the same counter on every change, so the changes
    /// feed replays changes in the order they happened, even within a millisecond.
    pub rev: u64,
    /// When each create/update happened (for product analytics).
    pub actions: Vec<Millis>,
}

impl Product {
    pub fn is_deleted(&self) -> bool {
        self.deleted_ms.is_some()
    }

    /// The `CatalogProduct` object. `relations` is added by the single-product GET.
    pub fn to_json(&self, company_uuid: &str, dictionary: &BTreeMap<String, Attribute>) -> Value {
        let extensions: Vec<Value> = self
            .extensions
            .iter()
            .map(|id| {
                let key = dictionary.values().find(|a| &a.id == id).map(|a| a.key.clone());
                json!({ "attribute_id": id, "key": key.unwrap_or_default() })
            })
            .collect();
        json!({
            "id": self.id,
            "company_id": company_uuid,
            "schema_id": self.schema_id,
            "source": self.source,
            "external_id": self.external_id,
            "status": self.status,
            "attributes": self.attributes,
            "attribute_extensions": extensions,
            "created_at": format_ms(self.created_ms),
            "updated_at": format_ms(self.updated_ms),
            "deleted_at": self.deleted_ms.map(format_ms),
        })
    }

    /// Case-insensitive substring match over text-like values (strings, and strings
    /// inside arrays).
    pub fn matches_text(&self, needle_lower: &str) -> bool {
        fn hit(value: &Value, needle: &str) -> bool {
            match value {
                Value::String(s) => s.to_lowercase().contains(needle),
                Value::Array(items) => items.iter().any(|v| hit(v, needle)),
                _ => false,
            }
        }
        self.attributes.values().any(|v| hit(v, needle_lower))
            || self
                .external_id
                .as_deref()
                .is_some_and(|id| id.to_lowercase().contains(needle_lower))
    }

    /// The first of `keys` with a non-empty text or number value, as text.
    fn first_value(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| match self.attributes.get(*key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }

    /// A display name for analytics: the first name-like attribute, else the id.
    pub fn display_name(&self) -> String {
        self.first_value(&["name", "product_name", "title", "sku"])
            .unwrap_or_else(|| self.id.clone())
    }

    /// An identifying value (SKU-like attribute or the external id), if any.
    pub fn identity(&self) -> Option<String> {
        self.first_value(&["sku", "gtin", "ean", "mpn"])
            .or_else(|| self.external_id.clone())
    }
}

/// A catalog webhook endpoint. The secret never leaves except in the create response.
#[derive(Clone, Debug)]
pub struct WebhookEndpoint {
    pub id: String,
    pub name: String,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub description: Option<String>,
    pub secret: String,
    pub created_at: String,
    pub updated_at: String,
}

impl WebhookEndpoint {
    /// The `CatalogWebhookEndpoint` object, without the secret.
    pub fn to_json(&self, company_uuid: &str) -> Value {
        json!({
            "id": self.id,
            "company_id": company_uuid,
            "name": self.name,
            "url": self.url,
            "events": self.events,
            "enabled": self.enabled,
            "description": self.description,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        })
    }
}

/// One delivery attempt (`CatalogWebhookDelivery`). The payload is kept (never
/// returned) so that a redelivery resends the same bytes.
#[derive(Clone, Debug, Serialize)]
pub struct DeliveryRecord {
    pub id: String,
    pub endpoint_id: String,
    pub delivery_id: String,
    pub attempt_number: u32,
    pub event: String,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: Option<u64>,
    pub delivered_at: String,
    pub is_test: bool,
    pub redelivered_from: Option<String>,
    #[serde(skip)]
    pub payload: Arc<Vec<u8>>,
}

impl DeliveryRecord {
    pub fn succeeded(&self) -> bool {
        self.status_code.is_some_and(|code| (200..300).contains(&code))
    }
}

/// How many delivery records are kept per company (oldest dropped first).
const MAX_DELIVERIES: usize = 2000;

/// Catalog-side state of one company.
#[derive(Debug)]
pub struct CatalogState {
    /// The `company_id` UUID shown on products and webhook endpoints.
    pub company_uuid: String,
    last_ms: Millis,
    sync_floor_ms: Millis,
    next_seq: u64,
    /// By key, so lists come out ordered by key.
    pub attributes: BTreeMap<String, Attribute>,
    /// In creation order.
    pub glossary: Vec<GlossaryTerm>,
    /// In creation order (soft-deleted ones included).
    pub products: Vec<Product>,
    product_index: HashMap<String, usize>,
    /// In creation order.
    pub webhooks: Vec<WebhookEndpoint>,
    /// In attempt order (oldest first).
    pub deliveries: Vec<DeliveryRecord>,
}

impl Default for CatalogState {
    fn default() -> Self {
        CatalogState {
            company_uuid: Uuid::new_v4().to_string(),
            last_ms: 0,
            sync_floor_ms: 0,
            next_seq: 0,
            attributes: BTreeMap::new(),
            glossary: Vec::new(),
            products: Vec::new(),
            product_index: HashMap::new(),
            webhooks: Vec::new(),
            deliveries: Vec::new(),
        }
    }
}

impl CatalogState {
    /// The timestamp of a mutation: strictly later than the previous one (so that an
    /// `expected_updated_at` compare-and-set always sees a change), and later than the
    /// last `sync_timestamp` handed out, so that `GET /catalog/changes` with that
    /// timestamp as `since` misses nothing and repeats nothing. Under a burst of
    /// mutations it may run a few milliseconds ahead of the wall clock.
    pub fn tick(&mut self) -> Millis {
        let t = now_ms().max(self.last_ms + 1).max(self.sync_floor_ms + 1);
        self.last_ms = t;
        t
    }

    /// A `sync_timestamp`: every mutation so far is at or before it, every later one
    /// after it.
    pub fn sync_point(&mut self) -> Millis {
        let t = now_ms().max(self.last_ms).max(self.sync_floor_ms);
        self.sync_floor_ms = t;
        t
    }

    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.product_index.get(id).map(|&i| &self.products[i])
    }

    pub fn product_mut(&mut self, id: &str) -> Option<&mut Product> {
        self.product_index.get(id).map(|&i| &mut self.products[i])
    }

    /// A product that exists and is not soft-deleted.
    pub fn live_product(&self, id: &str) -> Option<&Product> {
        self.product(id).filter(|p| !p.is_deleted())
    }

    pub fn insert_product(&mut self, product: Product) {
        self.product_index.insert(product.id.clone(), self.products.len());
        self.products.push(product);
    }

    pub fn attribute_by_id(&self, id: &str) -> Option<&Attribute> {
        self.attributes.values().find(|a| a.id == id)
    }

    pub fn product_json(&self, product: &Product) -> Value {
        product.to_json(&self.company_uuid, &self.attributes)
    }

    /// How many live products use the attribute (a value under its key, or it is one
    /// of their product-only extensions).
    pub fn products_using(&self, attribute: &Attribute) -> usize {
        self.products
            .iter()
            .filter(|p| !p.is_deleted())
            .filter(|p| p.attributes.contains_key(&attribute.key) || p.extensions.contains(&attribute.id))
            .count()
    }

    pub fn webhook(&self, id: &str) -> Option<&WebhookEndpoint> {
        self.webhooks.iter().find(|w| w.id == id)
    }

    /// Keeps a delivery attempt, unless its endpoint was deleted meanwhile.
    pub fn record_delivery(&mut self, record: DeliveryRecord) {
        if self.webhook(&record.endpoint_id).is_none() {
            return;
        }
        if self.deliveries.len() >= MAX_DELIVERIES {
            self.deliveries.remove(0);
        }
        self.deliveries.push(record);
    }
}
