export { APIResource } from "./base";
export { Credits } from "./credits";
export { Tables } from "./tables";
