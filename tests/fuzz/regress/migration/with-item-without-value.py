def downgrade(:
 with o),: