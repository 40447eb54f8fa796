/** Reads behind the public API's list and detail routes (pages of journeys, purposes, customers). */
export { listJourneysPage, listPurposesWithThemes } from '@/db/store/api-catalog';
export { getCustomer, listCustomersPage } from '@/db/store/customers';
