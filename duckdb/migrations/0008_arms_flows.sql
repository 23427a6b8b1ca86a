-- 0008: the two fields of an arms deal the index reads, as typed columns beside its
-- JSON, so that ArmsFlows reads them without decoding the JSON of every deal: the TIV
-- delivered (NULL when unknown, as the JSON's null) and the delivery years. Imports
-- write them with the JSON; the deals of a store written before this migration get
-- them from their JSON here, read as ArmsFlows read it until now.
ALTER TABLE arms_deals ADD COLUMN IF NOT EXISTS tiv_delivered DOUBLE;
ALTER TABLE arms_deals ADD COLUMN IF NOT EXISTS delivery_years INTEGER[];

UPDATE arms_deals SET
    tiv_delivered  = TRY_CAST(json_extract_string(data, '$.TIVDelivered') AS DOUBLE),
    delivery_years = CAST(json_extract(data, '$.DeliveryYears') AS INTEGER[]);
